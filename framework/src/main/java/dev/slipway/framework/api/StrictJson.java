package dev.slipway.framework.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.slipway.zk.Json;
import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How the API reads the JSON bodies clients send: strictly, unlike stored state (which
 * {@link Json#mapper()} reads leniently for forward compatibility). A body is one JSON object,
 * nothing after it, no key twice, no field the call does not take, every value of the type the
 * field has ({@code {"name": 123}} is not a name). Every refusal is an {@link Invalid} 422 whose
 * message names the field and never a Java class.
 */
final class StrictJson {
    private static final ObjectMapper MAPPER = create();

    private StrictJson() {
    }

    private static ObjectMapper create() {
        ObjectMapper mapper = Json.create()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float,
                LogicalType.Boolean}) {
            for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer,
                    CoercionInputShape.Float, CoercionInputShape.Boolean, CoercionInputShape.String,
                    CoercionInputShape.EmptyString}) {
                if (!sameShape(type, shape)) {
                    mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
                }
            }
        }
        mapper.coercionConfigFor(LogicalType.Collection).setCoercion(CoercionInputShape.EmptyString,
                CoercionAction.Fail);
        return mapper;
    }

    private static boolean sameShape(LogicalType type, CoercionInputShape shape) {
        return switch (type) {
            case Textual -> shape == CoercionInputShape.String || shape == CoercionInputShape.EmptyString;
            case Integer -> shape == CoercionInputShape.Integer;
            // A whole number is a number of cpus too.
            case Float -> shape == CoercionInputShape.Float || shape == CoercionInputShape.Integer;
            case Boolean -> shape == CoercionInputShape.Boolean;
            default -> false;
        };
    }

    /** {@code text} as a {@code type}: a JSON object with the fields of that record, and only those. */
    static <T> T read(String text, Class<T> type) {
        if (text == null || text.isBlank()) {
            throw new Invalid(422, "the request needs a JSON object as its body");
        }
        JsonNode tree = tree(text);
        if (!tree.isObject()) {
            throw new Invalid(422, "the body must be a JSON object, not " + kind(tree));
        }
        if (type == JsonNode.class) {
            return type.cast(tree);
        }
        try {
            return MAPPER.readValue(text, type);
        } catch (UnrecognizedPropertyException e) {
            Collection<Object> known = e.getKnownPropertyIds() == null ? java.util.List.of() : e.getKnownPropertyIds();
            throw new Invalid(422, "unknown field '" + printable(field(e)) + "': this call takes "
                    + known.stream().map(Object::toString).collect(Collectors.toCollection(TreeSet::new)).stream()
                    .collect(Collectors.joining(", ")));
        } catch (InvalidFormatException e) {
            throw new Invalid(422, "field '" + field(e) + "' has the wrong type: it takes " + expected(e) + ", not "
                    + shown(e.getValue()));
        } catch (MismatchedInputException e) {
            throw new Invalid(422, e.getPath().isEmpty() ? "the body is not an object this call takes"
                    : "field '" + field(e) + "' has the wrong type: it takes " + expected(e));
        } catch (JsonMappingException e) {
            throw new Invalid(422, e.getPath().isEmpty() ? "the body is not an object this call takes"
                    : "field '" + field(e) + "' is not valid");
        } catch (JsonProcessingException e) {
            throw new Invalid(422, "the body is not valid JSON");
        }
    }

    /** The body as a tree, read as strictly (no key twice, nothing after it); null is a tree too. */
    private static JsonNode tree(String text) {
        try {
            JsonNode tree = MAPPER.readTree(text);
            return tree == null ? MAPPER.nullNode() : tree;
        } catch (JsonParseException e) {
            throw new Invalid(422, "the body is not valid JSON: " + parseProblem(e));
        } catch (MismatchedInputException e) {
            throw new Invalid(422, "the body is not valid JSON: there is more after its value (line "
                    + line(e) + ")");
        } catch (JsonProcessingException e) {
            throw new Invalid(422, "the body is not valid JSON");
        }
    }

    private static String parseProblem(JsonParseException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.startsWith("Duplicate field")) {
            int open = message.indexOf('\'');
            int close = message.lastIndexOf('\'');
            String name = open >= 0 && close > open ? message.substring(open + 1, close) : "?";
            return "field '" + printable(name) + "' is given twice";
        }
        return "it cannot be read at line " + line(e) + ", column " + column(e);
    }

    private static int line(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    private static int column(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
    }

    /** The field a mapping problem is at, as a client wrote it: {@code buildpacks[2]}, {@code name}. */
    private static String field(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return printable(path.toString());
    }

    /** What the field takes, in JSON's words, not Java's. */
    private static String expected(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "another type";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "a whole number";
        }
        if (target == Double.class || target == double.class || target == Float.class || target == float.class) {
            return "a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "a list";
        }
        return "an object";
    }

    private static String shown(Object value) {
        return value instanceof String text ? "\"" + printable(text) + "\"" : printable(String.valueOf(value));
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL, MISSING -> "null";
            case ARRAY -> "a list";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** Client-given text as it may be shown: control characters as {@code ?}, at most 80 characters. */
    static String printable(String text) {
        return LogSafe.of(text, 80);
    }
}
