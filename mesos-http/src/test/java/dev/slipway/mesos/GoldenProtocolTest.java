package dev.slipway.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP-level protocol tests: every JSON call/event body shown in the Mesos docs
 * (apache/mesos docs/scheduler-http-api.md and docs/executor-http-api.md, Mesos 1.11 era; see
 * src/test/resources/golden/README.md) must decode with {@link MesosCodec}, re-encode to the same
 * JSON, and survive application/x-protobuf and RecordIO framing unchanged.
 *
 * <p>Some doc examples are wrong against the 1.11 protos. Those are recorded in {@link #FINDINGS}
 * and asserted precisely (what fails to decode, or which fields the codec drops as unknown), so a
 * fix in the docs or a change in the codec shows up as a test failure here.
 */
class GoldenProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Types with a JSON example in the docs, per direction; the golden files must cover exactly these. */
    private static final Set<String> SCHEDULER_CALLS_IN_DOCS = Set.of("SUBSCRIBE", "TEARDOWN", "ACCEPT", "DECLINE",
            "REVIVE", "KILL", "SHUTDOWN", "ACKNOWLEDGE", "ACKNOWLEDGE_OPERATION_STATUS", "RECONCILE",
            "RECONCILE_OPERATIONS", "MESSAGE", "REQUEST", "SUPPRESS", "UPDATE_FRAMEWORK");
    private static final Set<String> SCHEDULER_EVENTS_IN_DOCS = Set.of("SUBSCRIBED", "OFFERS", "RESCIND", "UPDATE",
            "UPDATE_OPERATION_STATUS", "MESSAGE", "FAILURE", "ERROR", "HEARTBEAT");
    private static final Set<String> EXECUTOR_CALLS_IN_DOCS = Set.of("SUBSCRIBE", "UPDATE", "MESSAGE");
    private static final Set<String> EXECUTOR_EVENTS_IN_DOCS = Set.of("SUBSCRIBED", "LAUNCH", "LAUNCH_GROUP", "KILL",
            "ACKNOWLEDGED", "MESSAGE", "SHUTDOWN", "ERROR");

    /** What a doc example gets wrong against the protos: a decode error, or fields dropped as unknown. */
    record Finding(String why, String decodeError, List<String> droppedPointers) {
        static Finding decodeFails(String errorFragment, String why) {
            return new Finding(why, errorFragment, List.of());
        }

        static Finding drops(String why, String... jsonPointers) {
            return new Finding(why, null, List.of(jsonPointers));
        }
    }

    /** Findings, keyed by golden file (without .json); see also golden/README.md. */
    private static final Map<String, Finding> FINDINGS = Map.ofEntries(
            Map.entry("scheduler/calls/ACCEPT", Finding.decodeFails("Expect message object but got: \"Infinity\"",
                    "TaskInfo.limits is map<string, Value.Scalar>: values must be {\"value\": ...}, not bare"
                            + " \"Infinity\" / 512.0")),
            Map.entry("scheduler/calls/ACKNOWLEDGE_OPERATION_STATUS", Finding.decodeFails(
                    "Expect message object but got: \"73jhakdlfha723adf\"",
                    "operation_id is an OperationID message ({\"value\": ...}), not a bare string")),
            Map.entry("scheduler/calls/REQUEST", Finding.drops(
                    "Call has request: {requests: [...]}; top-level \"requests\" is unknown and ignored"
                            + " (and Request.resources is a repeated Resource, not an object)",
                    "/requests")),
            Map.entry("scheduler/calls/REVIVE", Finding.drops(
                    "Call.Revive has repeated string roles; it has no \"role\" field", "/revive/role")),
            Map.entry("scheduler/calls/SUBSCRIBE@master-detection", Finding.drops(
                    "\"Master detection\" example lacks the subscribe wrapper: Call has no framework_info field,"
                            + " so the codec yields a SUBSCRIBE without subscribe (Mesos would reject it)",
                    "/framework_info")),
            Map.entry("scheduler/events/ERROR", Finding.decodeFails(
                    "Expect message object but got: \"Framework is not authorized\"",
                    "the text belongs in error: {message: ...}; top-level \"message\" is the MESSAGE event's"
                            + " Message field")),
            Map.entry("scheduler/events/OFFERS", Finding.decodeFails("Expect message object but got: [",
                    "Event.offers is Offers {offers: [...]}, not the array itself")),
            Map.entry("scheduler/events/UPDATE", Finding.drops(
                    "TaskStatus carries its payload in \"data\"; it has no \"bytes\" field",
                    "/update/status/bytes")),
            Map.entry("scheduler/events/UPDATE_OPERATION_STATUS", Finding.decodeFails(
                    "Expect message object but got: \"adfadfadbhgvjayd23r2uahj\"",
                    "OperationStatus.uuid is a UUID message ({\"value\": <base64>}), not bare bytes")),
            Map.entry("executor/calls/SUBSCRIBE", Finding.drops(
                    "Call.Update (an unacknowledged update) has only status; no framework_id",
                    "/subscribe/unacknowledged_updates/0/framework_id")),
            Map.entry("executor/events/LAUNCH", Finding.drops(
                    "Event.Launch has only task; no framework_info", "/launch/framework_info")),
            Map.entry("executor/events/SUBSCRIBED", Finding.decodeFails(
                    "Message missing required fields: hostname",
                    "AgentInfo.hostname is required (proto2) and the doc writes \"host\"; the doc's"
                            + " subscribed.agent_id is not a field of Event.Subscribed either")));

    /** Types the 1.11 protos define (besides UNKNOWN) that the docs show no JSON example of. */
    private static final Set<String> SCHEDULER_CALLS_NOT_IN_DOCS = Set.of("ACCEPT_INVERSE_OFFERS",
            "DECLINE_INVERSE_OFFERS");
    private static final Set<String> SCHEDULER_EVENTS_NOT_IN_DOCS = Set.of("INVERSE_OFFERS", "RESCIND_INVERSE_OFFER");
    private static final Set<String> EXECUTOR_CALLS_NOT_IN_DOCS = Set.of("HEARTBEAT");
    private static final Set<String> EXECUTOR_EVENTS_NOT_IN_DOCS = Set.of("HEARTBEAT");

    enum Kind {
        SCHEDULER_CALL("scheduler/calls", org.apache.mesos.v1.scheduler.Protos.Call::newBuilder),
        SCHEDULER_EVENT("scheduler/events", org.apache.mesos.v1.scheduler.Protos.Event::newBuilder),
        EXECUTOR_CALL("executor/calls", org.apache.mesos.v1.executor.Protos.Call::newBuilder),
        EXECUTOR_EVENT("executor/events", org.apache.mesos.v1.executor.Protos.Event::newBuilder);

        final String dir;
        final Supplier<Message.Builder> builder;

        Kind(String dir, Supplier<Message.Builder> builder) {
            this.dir = dir;
            this.builder = builder;
        }

        Descriptor descriptor() {
            return builder.get().getDescriptorForType();
        }
    }

    /** A golden file: {@code <TYPE>.json}, or {@code <TYPE>@<which>.json} for a second example of a type. */
    record Golden(Kind kind, String name, Path file) {
        String type() {
            return name.split("@", 2)[0];
        }

        String key() {
            return kind.dir + "/" + name;
        }

        @Override
        public String toString() {
            return key() + ".json";
        }
    }

    static Stream<Golden> goldens() {
        return Stream.of(Kind.values()).flatMap(kind -> files(kind).stream());
    }

    private static List<Golden> files(Kind kind) {
        try (Stream<Path> list = Files.list(Path.of(GoldenProtocolTest.class.getResource("/golden/" + kind.dir).toURI()))) {
            return list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
                    .map(p -> new Golden(kind, p.getFileName().toString().replaceFirst("\\.json$", ""), p))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void docExampleRoundTripsThroughTheCodec(Golden golden) throws Exception {
        byte[] bytes = Files.readAllBytes(golden.file());
        JsonNode goldenTree = JSON.readTree(bytes);
        assertThat(goldenTree.path("type").asText()).as("the example's own type field").isEqualTo(golden.type());
        Finding finding = FINDINGS.get(golden.key());

        if (finding != null && finding.decodeError() != null) {
            assertThatThrownBy(() -> MesosCodec.decode(bytes, MediaType.JSON, golden.kind().builder.get()))
                    .as("%s: %s", golden, finding.why()).hasMessageContaining(finding.decodeError());
            return;
        }

        Message message = MesosCodec.decode(bytes, MediaType.JSON, golden.kind().builder.get());
        FieldDescriptor typeField = message.getDescriptorForType().findFieldByName("type");
        assertThat(((EnumValueDescriptor) message.getField(typeField)).getName()).isEqualTo(golden.type());

        // JSON: re-encoded tree equals the golden tree, less what a recorded finding says the codec drops.
        JsonNode expected = goldenTree.deepCopy();
        if (finding != null) {
            for (String pointer : finding.droppedPointers()) {
                assertThat(goldenTree.at(pointer).isMissingNode()).as("%s has %s", golden, pointer).isFalse();
                remove((ObjectNode) expected, pointer);
            }
        }
        JsonNode actual = JSON.readTree(MesosCodec.encode(message, MediaType.JSON));
        Descriptor descriptor = golden.kind().descriptor();
        assertThat(canonical(actual, descriptor)).as("%s re-encoded as JSON", golden)
                .isEqualTo(canonical(expected, descriptor));

        // application/x-protobuf and JSON, each framed as RecordIO, read back by both readers.
        for (MediaType type : MediaType.values()) {
            byte[] encoded = MesosCodec.encode(message, type);
            byte[] framed = RecordIO.frame(encoded);
            RecordIO.Reader reader = new RecordIO.Reader(new ByteArrayInputStream(framed));
            byte[] record = reader.next();
            assertThat(record).as("%s via %s", golden, type).isEqualTo(encoded);
            assertThat(reader.next()).isNull();
            List<byte[]> decoded = new ArrayList<>();
            RecordIO.Decoder decoder = new RecordIO.Decoder();
            for (byte b : framed) {
                decoder.feed(new byte[] {b}, decoded::add);
            }
            assertThat(decoded).hasSize(1);
            assertThat(decoded.get(0)).isEqualTo(encoded);
            Message back = MesosCodec.decode(record, type, golden.kind().builder.get());
            assertThat(back).as("%s via %s", golden, type).isEqualTo(message);
        }
    }

    @Test
    void schedulerGoldensCoverEveryCallAndEventTheDocsShow() {
        assertCovers(Kind.SCHEDULER_CALL, SCHEDULER_CALLS_IN_DOCS, SCHEDULER_CALLS_NOT_IN_DOCS);
        assertCovers(Kind.SCHEDULER_EVENT, SCHEDULER_EVENTS_IN_DOCS, SCHEDULER_EVENTS_NOT_IN_DOCS);
    }

    @Test
    void executorGoldensCoverEveryCallAndEventTheDocsShow() {
        assertCovers(Kind.EXECUTOR_CALL, EXECUTOR_CALLS_IN_DOCS, EXECUTOR_CALLS_NOT_IN_DOCS);
        assertCovers(Kind.EXECUTOR_EVENT, EXECUTOR_EVENTS_IN_DOCS, EXECUTOR_EVENTS_NOT_IN_DOCS);
    }

    @Test
    void everyRecordedFindingNamesAGoldenFile() {
        Set<String> keys = goldens().map(Golden::key).collect(Collectors.toSet());
        assertThat(keys).containsAll(FINDINGS.keySet());
    }

    private static void assertCovers(Kind kind, Set<String> inDocs, Set<String> notInDocs) {
        Set<String> files = files(kind).stream().map(Golden::type).collect(Collectors.toCollection(TreeSet::new));
        assertThat(files).as("golden files for %s", kind.dir).containsExactlyInAnyOrderElementsOf(inDocs);
        // Every type the protos define has a golden unless the docs show no example of it; if a
        // new Mesos adds a type (or the docs add an example), this says so.
        EnumDescriptor types = kind.descriptor().findFieldByName("type").getEnumType();
        Set<String> defined = types.getValues().stream().map(EnumValueDescriptor::getName)
                .filter(name -> !name.equals("UNKNOWN")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>(inDocs);
        documented.addAll(notInDocs);
        assertThat(defined).as("%s values", types.getFullName()).containsExactlyInAnyOrderElementsOf(documented);
        assertThat(inDocs).as("doc types also listed as not in docs").doesNotContainAnyElementsOf(notInDocs);
    }

    private static void remove(ObjectNode root, String pointer) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ArrayNode array) {
            array.remove(Integer.parseInt(last));
        } else {
            ((ObjectNode) parent).remove(last);
        }
    }

    /**
     * The tree with values put in one form where protobuf's canonical JSON mapping may legitimately
     * print a different (but equivalent) form from the docs; driven by the message descriptor so it
     * applies to those field types only:
     * <ul>
     *   <li>int64/uint64/fixed64 are printed as strings, int32 as numbers, and either is accepted on
     *       parse; doubles/floats print as e.g. {@code 15.0} where the docs write {@code 15}: all
     *       numeric fields compare by numeric value;
     *   <li>bytes are printed as padded standard base64; the docs sometimes omit padding: compare the
     *       decoded bytes (re-encoded canonically);
     *   <li>enums may be given by number on parse but are printed by name: compare by name.
     * </ul>
     * Everything else (strings, bools, structure, field presence) must match exactly.
     */
    static JsonNode canonical(JsonNode node, Descriptor descriptor) {
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            FieldDescriptor field = descriptor.findFieldByName(e.getKey());
            out.set(e.getKey(), field == null ? e.getValue() : canonicalField(e.getValue(), field));
        }
        return out;
    }

    private static JsonNode canonicalField(JsonNode value, FieldDescriptor field) {
        if (field.isMapField() && value.isObject()) {
            FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            value.fields().forEachRemaining(e -> out.set(e.getKey(), canonicalValue(e.getValue(), valueField)));
            return out;
        }
        if (field.isRepeated() && value.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            value.forEach(v -> out.add(canonicalValue(v, field)));
            return out;
        }
        return canonicalValue(value, field);
    }

    private static JsonNode canonicalValue(JsonNode value, FieldDescriptor field) {
        switch (field.getJavaType()) {
            case MESSAGE:
                return canonical(value, field.getMessageType());
            case INT:
            case LONG:
            case FLOAT:
            case DOUBLE:
                if (value.isNumber()) {
                    return DecimalNode.valueOf(value.decimalValue().stripTrailingZeros());
                }
                if (value.isTextual()) {
                    try {
                        return DecimalNode.valueOf(new BigDecimal(value.asText()).stripTrailingZeros());
                    } catch (NumberFormatException notANumber) {
                        return value; // "Infinity", "NaN": compared as text
                    }
                }
                return value;
            case BYTE_STRING:
                if (value.isTextual()) {
                    String text = value.asText();
                    byte[] raw;
                    try {
                        raw = Base64.getDecoder().decode(text);
                    } catch (IllegalArgumentException notStandard) {
                        raw = Base64.getUrlDecoder().decode(text);
                    }
                    return TextNode.valueOf(Base64.getEncoder().encodeToString(raw));
                }
                return value;
            case ENUM:
                if (value.canConvertToInt() && value.isNumber()) {
                    EnumValueDescriptor named = field.getEnumType().findValueByNumber(value.intValue());
                    return named == null ? value : TextNode.valueOf(named.getName());
                }
                return value;
            default:
                return value;
        }
    }
}
