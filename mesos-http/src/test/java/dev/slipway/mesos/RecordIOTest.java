package dev.slipway.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

class RecordIOTest {
    @Test
    void framesARecordAsItsLengthANewlineAndTheBytes() {
        assertThat(new String(RecordIO.frame("{\"type\": \"HEARTBEAT\"}".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo("21\n{\"type\": \"HEARTBEAT\"}");
    }

    @Test
    void readsTheExampleStreamOfTheMesosDocs() throws IOException {
        // docs/recordio.md: two records, "hello" and "world!"
        RecordIO.Reader reader = new RecordIO.Reader(new ByteArrayInputStream("5\nhello6\nworld!".getBytes()));
        assertThat(new String(reader.next())).isEqualTo("hello");
        assertThat(new String(reader.next())).isEqualTo("world!");
        assertThat(reader.next()).isNull();
    }

    @Test
    void decodesRecordsWhateverTheChunkBoundaries() throws IOException {
        byte[] stream = concat(RecordIO.frame("first".getBytes()), RecordIO.frame(new byte[0]),
                RecordIO.frame("a longer third record".getBytes()));
        for (int chunk = 1; chunk <= stream.length; chunk++) {
            RecordIO.Decoder decoder = new RecordIO.Decoder();
            List<String> records = new ArrayList<>();
            for (int i = 0; i < stream.length; i += chunk) {
                byte[] part = java.util.Arrays.copyOfRange(stream, i, Math.min(stream.length, i + chunk));
                decoder.feed(part, r -> records.add(new String(r)));
            }
            assertThat(records).as("chunk size %d", chunk).containsExactly("first", "", "a longer third record");
        }
    }

    @Test
    void refusesMalformedAndOversizedLengths() {
        assertThatThrownBy(() -> new RecordIO.Reader(new ByteArrayInputStream("x\nabc".getBytes())).next())
                .isInstanceOf(IOException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> new RecordIO.Reader(new ByteArrayInputStream("99999999999\n".getBytes())).next())
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new RecordIO.Decoder().feed("\n".getBytes(), r -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("empty length");
    }

    @Test
    void aStreamCutInsideARecordIsAnError() {
        assertThatThrownBy(() -> new RecordIO.Reader(new ByteArrayInputStream("10\nabc".getBytes())).next())
                .isInstanceOf(EOFException.class);
    }

    @Test
    void jsonEventsOfTheSchedulerDocsDecodeAndRoundTrip() throws Exception {
        // The SUBSCRIBED example of docs/scheduler-http-api.md.
        String json = "{\"type\":\"SUBSCRIBED\",\"subscribed\":{\"framework_id\":{\"value\":\"12220-3440-12532-2345\"},"
                + "\"heartbeat_interval_seconds\":15}}";
        Event event = MesosCodec.decode(json.getBytes(), MediaType.JSON, Event.newBuilder());
        assertThat(event.getSubscribed().getFrameworkId().getValue()).isEqualTo("12220-3440-12532-2345");

        Event again = MesosCodec.decode(MesosCodec.encode(event, MediaType.PROTOBUF), MediaType.PROTOBUF,
                Event.newBuilder());
        assertThat(again).isEqualTo(event);
        assertThat(MesosCodec.toJson(event)).contains("\"framework_id\"").contains("\"heartbeat_interval_seconds\":15");
    }

    @Test
    void mediaTypesAreReadFromHeadersWithParameters() {
        assertThat(MediaType.parse("application/json; charset=utf-8")).isEqualTo(MediaType.JSON);
        assertThat(MediaType.parse("application/x-protobuf")).isEqualTo(MediaType.PROTOBUF);
        assertThat(MediaType.parse("text/plain")).isNull();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
