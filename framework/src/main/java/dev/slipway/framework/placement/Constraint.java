package dev.slipway.framework.placement;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where a process type's instances may run, as Marathon writes it: a field ({@code hostname} or an
 * agent attribute), an {@link Operator} and, for some operators, a value.
 *
 * @param value the operator's value, empty when it has none
 */
public record Constraint(String field, Operator operator, String value) {
    /** The field naming the agent's hostname rather than one of its attributes. */
    public static final String HOSTNAME = "hostname";
    /** The longest constraint accepted, written as {@code field:OPERATOR:value}. */
    public static final int MAX_LENGTH = 200;
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_./-]{0,63}");
    private static final Pattern COUNT = Pattern.compile("[1-9][0-9]{0,5}");

    public Constraint {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(operator, "operator");
        value = value == null ? "" : value;
        String written = written(field, operator, value);
        if (written.length() > MAX_LENGTH) {
            throw new InvalidConstraint("constraint '" + written.substring(0, 40) + "...' is " + written.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        if (!FIELD.matcher(field).matches()) {
            throw new InvalidConstraint("constraint '" + written + "': field '" + field + "' is neither hostname nor"
                    + " an attribute name (a letter, then up to 63 letters, digits, '_', '.', '/' or '-')");
        }
        switch (operator) {
            case UNIQUE -> {
                if (!value.isEmpty()) {
                    throw new InvalidConstraint("constraint '" + written + "': UNIQUE takes no value");
                }
            }
            case CLUSTER -> {
                if (value.isEmpty()) {
                    throw new InvalidConstraint("constraint '" + written + "': CLUSTER needs the value to keep"
                            + " instances on, e.g. '" + field + ":CLUSTER:rack-1'");
                }
            }
            case GROUP_BY -> {
                if (!value.isEmpty() && !COUNT.matcher(value).matches()) {
                    throw new InvalidConstraint("constraint '" + written + "': GROUP_BY takes an optional number of"
                            + " groups from 1 to 999999, not '" + value + "'");
                }
            }
            case MAX_PER -> {
                if (!COUNT.matcher(value).matches()) {
                    throw new InvalidConstraint("constraint '" + written + "': MAX_PER needs the largest number of"
                            + " instances per " + field + ", from 1 to 999999, "
                            + (value.isEmpty() ? "e.g. '" + field + ":MAX_PER:2'" : "not '" + value + "'"));
                }
            }
            case LIKE, UNLIKE -> {
                if (value.isEmpty()) {
                    throw new InvalidConstraint("constraint '" + written + "': " + operator
                            + " needs a regular expression, e.g. '" + field + ":" + operator + ":web.*'");
                }
                try {
                    Pattern.compile(value);
                } catch (PatternSyntaxException e) {
                    throw new InvalidConstraint("constraint '" + written + "': '" + value
                            + "' is not a regular expression (" + e.getDescription() + ")");
                }
            }
            default -> throw new IllegalStateException("unhandled operator " + operator);
        }
    }

    /** Parses Marathon's colon form: {@code hostname:UNIQUE}, {@code rack:CLUSTER:rack-1}, {@code hostname:LIKE:a:b}. */
    public static Constraint parse(String text) {
        Objects.requireNonNull(text, "constraint");
        if (text.length() > MAX_LENGTH) {
            throw new InvalidConstraint("constraint '" + text.substring(0, 40) + "...' is " + text.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        String[] parts = text.split(":", 3);
        if (parts.length < 2) {
            throw new InvalidConstraint("constraint '" + text + "' is not field:OPERATOR[:value], e.g. 'hostname:UNIQUE'");
        }
        return new Constraint(parts[0], operator(text, parts[1]), parts.length == 3 ? parts[2] : "");
    }

    /** Parses Marathon's JSON array form: {@code ["hostname", "UNIQUE"]} or {@code ["rack", "CLUSTER", "rack-1"]}. */
    public static Constraint of(List<String> parts) {
        Objects.requireNonNull(parts, "constraint");
        if (parts.size() < 2 || parts.size() > 3 || parts.stream().anyMatch(Objects::isNull)) {
            throw new InvalidConstraint("constraint " + parts + " is not [field, OPERATOR] or [field, OPERATOR, value]");
        }
        return new Constraint(parts.get(0), operator(String.join(":", parts), parts.get(1)),
                parts.size() == 3 ? parts.get(2) : "");
    }

    private static Operator operator(String text, String name) {
        try {
            return Operator.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConstraint("constraint '" + text + "': unknown operator '" + name + "'; known are "
                    + "UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER");
        }
    }

    /** The number in GROUP_BY's or MAX_PER's value; for GROUP_BY without one, 0 (no minimum of groups). */
    int count() {
        return value.isEmpty() ? 0 : Integer.parseInt(value);
    }

    Pattern pattern() {
        return Pattern.compile(value);
    }

    /** Marathon's colon form, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return written(field, operator, value);
    }

    private static String written(String field, Operator operator, String value) {
        return field + ":" + operator + (value.isEmpty() ? "" : ":" + value);
    }
}
