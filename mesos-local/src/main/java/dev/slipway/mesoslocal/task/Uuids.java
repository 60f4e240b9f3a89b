package dev.slipway.mesoslocal.task;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.UUID;

/** Status update UUIDs: 16 raw bytes on the wire, as Mesos's {@code id::UUID::toBytes}. */
public final class Uuids {
    private Uuids() {
    }

    public static ByteString random() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return ByteString.copyFrom(buffer.array());
    }

    /** Mesos's {@code UUID::fromBytes} check; null when valid, else the reason. */
    public static String validate(ByteString bytes) {
        return bytes.size() == 16 ? null : "Not a valid UUID";
    }

    /** The canonical text form, for logs. */
    public static String toString(ByteString bytes) {
        if (bytes.size() != 16) {
            return "<invalid uuid>";
        }
        ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }
}
