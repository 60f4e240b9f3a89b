package dev.slipway.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows printed in aligned columns under a header, as Heroku's CLI prints its lists: each column
 * padded to its widest cell (colour codes not counted), two spaces between columns, no trailing
 * spaces. The header is bold on a colour terminal.
 */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> header) {
        this.header = header;
    }

    static Table of(String... header) {
        return new Table(List.of(header));
    }

    /** Adds a row; a missing trailing cell is empty, an extra one is refused. */
    Table row(String... cells) {
        if (cells.length > header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells under " + header.size()
                    + " columns");
        }
        String[] padded = Arrays.copyOf(cells, header.size());
        for (int i = 0; i < padded.length; i++) {
            padded[i] = padded[i] == null ? "" : padded[i];
        }
        rows.add(List.of(padded));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table as lines, each ending with a newline. */
    String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], Terminal.width(row.get(i)));
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header.stream().map(Terminal::bold).toList(), widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - Terminal.width(cell) + 2));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    void print() {
        System.out.print(render());
    }
}
