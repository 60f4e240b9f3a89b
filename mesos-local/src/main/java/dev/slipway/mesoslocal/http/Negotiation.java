package dev.slipway.mesoslocal.http;

import dev.slipway.mesos.MediaType;
import java.util.Locale;

/** Content negotiation as libprocess does it for the Mesos v1 APIs. */
public final class Negotiation {
    private Negotiation() {
    }

    /**
     * The type to answer in: JSON when the Accept header allows it (an absent header allows
     * everything), else protobuf when allowed; null when it allows neither.
     */
    public static MediaType responseType(String acceptHeader) {
        if (acceptHeader == null || acceptHeader.isBlank()) {
            return MediaType.JSON;
        }
        if (accepts(acceptHeader, MediaType.JSON.value())) {
            return MediaType.JSON;
        }
        if (accepts(acceptHeader, MediaType.PROTOBUF.value())) {
            return MediaType.PROTOBUF;
        }
        return null;
    }

    public static String notAcceptableReason() {
        return "Expecting 'Accept' to allow '" + MediaType.PROTOBUF.value() + "' or '" + MediaType.JSON.value() + "'";
    }

    /** Whether the Accept header allows {@code mediaType}: the most specific matching range decides. */
    static boolean accepts(String acceptHeader, String mediaType) {
        String[] wanted = mediaType.split("/", 2);
        int bestSpecificity = -1;
        double bestQuality = 0;
        for (String entry : acceptHeader.split(",")) {
            String[] parts = entry.split(";");
            String range = parts[0].trim().toLowerCase(Locale.ROOT);
            String[] typeAndSub = range.split("/", 2);
            if (typeAndSub.length != 2) {
                continue;
            }
            int specificity;
            if (typeAndSub[0].equals(wanted[0]) && typeAndSub[1].equals(wanted[1])) {
                specificity = 2;
            } else if (typeAndSub[0].equals(wanted[0]) && typeAndSub[1].equals("*")) {
                specificity = 1;
            } else if (typeAndSub[0].equals("*") && typeAndSub[1].equals("*")) {
                specificity = 0;
            } else {
                continue;
            }
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                bestQuality = quality(parts);
            }
        }
        return bestSpecificity >= 0 && bestQuality > 0;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].trim().split("=", 2);
            if (param.length == 2 && param[0].trim().equalsIgnoreCase("q")) {
                try {
                    return Double.parseDouble(param[1].trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
