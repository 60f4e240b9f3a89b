package dev.slipway.mesos;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;

/**
 * Protobuf messages to and from the bytes of either Mesos media type. JSON uses the proto field
 * names (snake_case), as Mesos does, and ignores fields it does not know.
 */
public final class MesosCodec {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
            .omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private MesosCodec() {
    }

    public static byte[] encode(Message message, MediaType type) {
        if (type == MediaType.PROTOBUF) {
            return message.toByteArray();
        }
        try {
            return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("cannot print " + message.getDescriptorForType().getName() + " as JSON", e);
        }
    }

    /** Parses {@code bytes} into a message of the builder's type; throws with a reason on bad input. */
    @SuppressWarnings("unchecked")
    public static <T extends Message> T decode(byte[] bytes, MediaType type, Message.Builder builder)
            throws InvalidProtocolBufferException {
        if (type == MediaType.PROTOBUF) {
            builder.mergeFrom(bytes);
        } else {
            PARSER.merge(new String(bytes, StandardCharsets.UTF_8), builder);
        }
        return (T) builder.build();
    }

    /** A one-line JSON rendering for logs and error messages. */
    public static String toJson(Message message) {
        return new String(encode(message, MediaType.JSON), StandardCharsets.UTF_8);
    }
}
