package dev.slipway.router.proxy;

import java.util.Locale;

/**
 * The body of an error answer in the form the client prefers by its {@code Accept}: HTML (browsers,
 * curl's {@code *}{@code /*}, no Accept at all), JSON ({@code {"id":"H12","message":...,"request_id":...}})
 * when it prefers {@code application/json}, one line of text when it prefers {@code text/plain}.
 *
 * @param contentType the Content-Type of {@link #body()}
 * @param body        the page
 */
record ErrorPage(String contentType, String body) {
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";
    /** The types offered, in the order that wins a tie. */
    private static final String[] OFFERED = {"text/html", "application/json", "text/plain"};

    static ErrorPage of(RouterError error, String requestId, String accept) {
        String id = error.code() == null ? "no_such_app" : error.code();
        String title = error.code() == null ? "No such app" : "Application error";
        String code = error.code() == null ? "" : "Error code: " + error.code() + ". ";
        return switch (preferred(accept)) {
            case "application/json" -> new ErrorPage(JSON, "{\"id\":\"" + id + "\",\"message\":\"" + error.sentence()
                    + "\",\"request_id\":\"" + requestId + "\"}\n");
            case "text/plain" -> new ErrorPage(TEXT, title + ". " + error.sentence() + " " + code
                    + "Request ID: " + requestId + "\n");
            default -> new ErrorPage(HTML, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<title>" + title + "</title></head>\n<body><h1>" + title + "</h1>\n<p>" + error.sentence()
                    + "</p>\n<p>" + code + "Request ID: " + requestId + "</p></body></html>\n");
        };
    }

    /**
     * The offered type the client prefers: the highest q-value; between equal ones, the one named
     * exactly over one matched by a wildcard, then HTML, JSON, text in that order.
     */
    static String preferred(String accept) {
        if (accept == null || accept.isBlank()) {
            return OFFERED[0];
        }
        String best = OFFERED[0];
        double bestQuality = -1;
        int bestSpecificity = -1;
        String[] ranges = accept.toLowerCase(Locale.ROOT).split(",");
        for (String offered : OFFERED) {
            double quality = 0;
            int specificity = -1;
            for (String range : ranges) {
                String[] parts = range.split(";");
                String type = parts[0].trim();
                int matches = type.equals(offered) ? 2
                        : type.equals(offered.substring(0, offered.indexOf('/') + 1) + "*") ? 1
                        : type.equals("*/*") ? 0 : -1;
                if (matches > specificity) {
                    specificity = matches;
                    quality = quality(parts);
                }
            }
            if (specificity >= 0 && quality > 0
                    && (quality > bestQuality || (quality == bestQuality && specificity > bestSpecificity))) {
                best = offered;
                bestQuality = quality;
                bestSpecificity = specificity;
            }
        }
        return best;
    }

    private static double quality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
