package dev.slipway.framework.api;

import dev.slipway.zk.Domain;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules for custom domains: a hostname of RFC 1123 labels (letters, digits and dashes, 1 to 63
 * characters each, no dash at either end), at least two of them, at most
 * {@value Domain#MAX_HOSTNAME_LENGTH} characters, stored in lower case without its trailing dot; or
 * a wildcard, {@code *.} and such a name (one label wildcard, at the front only). No port, scheme,
 * path, IP address or non-ASCII name (give an internationalized name in its {@code xn--} form).
 * Names at or under the platform's domain are the apps' default names: only those under the app's
 * own ({@code api.APP.DOMAIN}, {@code *.APP.DOMAIN}) may be added, so that no app shadows another.
 */
final class DomainName {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** What the API accepts in the hostname field before it looks closer: longer is refused unread. */
    private static final int MAX_GIVEN = Domain.MAX_HOSTNAME_LENGTH + 1;

    private DomainName() {
    }

    /**
     * {@code given} as stored: lower case, no trailing dot; {@link Invalid} 422 naming the field and
     * what is wrong otherwise.
     *
     * @param domain the platform's domain: apps answer at {@code <app>.<domain>}
     */
    static String validate(String given, String app, String domain) {
        if (given == null || given.isBlank()) {
            throw new Invalid(422, "the body needs \"hostname\": the domain to add, as www.example.com or "
                    + "*.example.com");
        }
        String shown = LogSafe.of(given, 100);
        if (given.length() > MAX_GIVEN) {
            throw invalid(shown, "it is longer than " + Domain.MAX_HOSTNAME_LENGTH + " characters");
        }
        // Before lower-casing: some non-ASCII letters lower-case to ASCII ones (the Kelvin sign to k).
        if (!given.chars().allMatch(c -> c < 128)) {
            throw invalid(shown, "it is not ASCII: give an internationalized name in its xn-- (punycode) form");
        }
        String name = given.toLowerCase(Locale.ROOT);
        if (!name.equals(name.strip())) {
            throw invalid(shown, "it has spaces around it");
        }
        if (name.contains("://") || name.contains("/")) {
            throw invalid(shown, "give the hostname alone, without a scheme or path");
        }
        if (name.contains(":")) {
            throw invalid(shown, "give the hostname without a port: requests are routed by name whatever their port");
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        boolean wildcard = name.startsWith("*.");
        String rest = wildcard ? name.substring(2) : name;
        if (name.length() > Domain.MAX_HOSTNAME_LENGTH) {
            throw invalid(shown, "it is longer than " + Domain.MAX_HOSTNAME_LENGTH + " characters");
        }
        if (rest.contains("*")) {
            throw invalid(shown, "a wildcard is one '*' label at the front only, as *.example.com");
        }
        String[] labels = rest.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                throw invalid(shown, "it has an empty label (two dots in a row, or a dot at the start)");
            }
            if (label.length() > 63) {
                throw invalid(shown, "label '" + LogSafe.of(label, 70) + "' is longer than 63 characters");
            }
            if (!LABEL.matcher(label).matches()) {
                throw invalid(shown, "label '" + LogSafe.of(label, 70) + "' may hold only letters, digits and "
                        + "dashes, and may not start or end with a dash");
            }
        }
        if (labels.length < 2) {
            throw invalid(shown, wildcard ? "a wildcard needs at least two labels after it, as *.example.com"
                    : "give a fully qualified name, as www.example.com");
        }
        if (labels[labels.length - 1].matches("[0-9]+")) {
            throw invalid(shown, "it is an IP address or ends in a numeric label: give a hostname");
        }
        String base = domain.toLowerCase(Locale.ROOT);
        String own = app + "." + base;
        if ((name.equals(base) || name.endsWith("." + base)) && !name.endsWith("." + own)) {
            throw invalid(shown, name.equals(own) ? "it is the app's default hostname already"
                    : "it is the platform's domain " + base + " or a name under it, where apps have their "
                    + "default names: under it only names under the app's own, as www." + own + ", may be added");
        }
        if (wildcard && base.endsWith("." + rest)) {
            throw invalid(shown, "the wildcard covers the platform's domain " + base + ", where apps have their "
                    + "default names");
        }
        return name;
    }

    private static Invalid invalid(String shown, String why) {
        return new Invalid(422, "hostname '" + shown + "' is not valid: " + why);
    }
}
