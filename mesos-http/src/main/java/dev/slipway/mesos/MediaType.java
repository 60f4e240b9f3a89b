package dev.slipway.mesos;

/** The two content types the Mesos v1 HTTP APIs speak. */
public enum MediaType {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    private final String value;

    MediaType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The media type named by a Content-Type or Accept header; null when it is neither. */
    public static MediaType parse(String header) {
        if (header == null) {
            return null;
        }
        String base = header.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        for (MediaType type : values()) {
            if (type.value.equals(base)) {
                return type;
            }
        }
        return null;
    }
}
