package dev.slipway.cli;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** {@code --json} of a listing verb: the API's answer as returned, pretty-printed, and nothing else on stdout. */
final class JsonOption {
    @Option(names = "--json", description = "print the API's JSON (pretty-printed) instead of a table")
    boolean json;

    /** Prints {@code body} and returns true with {@code --json}; returns false for the human form. */
    boolean printed(JsonNode body) {
        if (json) {
            print(body);
        }
        return json;
    }

    /**
     * Prints a listing verb's answer {@code list}: its JSON with {@code --json}; otherwise
     * {@code empty} when it has no item, else {@code table} with a row of each item.
     */
    void list(JsonNode list, String empty, Table table, Function<JsonNode, String[]> row) {
        if (printed(list)) {
            return;
        }
        if (list.isEmpty()) {
            System.out.println(empty);
            return;
        }
        list.forEach(item -> table.row(row.apply(item)));
        table.print();
    }

    static void print(JsonNode body) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withSeparators(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        try {
            System.out.println(Json.mapper().writer(printer).writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
