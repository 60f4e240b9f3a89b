package dev.slipway.framework.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The routes a Vert.x {@link Router} serves, read back from it: each path (a template such as
 * {@code /apps/:app/builds/:id}, or a regular expression) with the methods it answers. What the
 * API answers a path with no route for the method (405 and {@code Allow}) and what the OpenAPI
 * conformance test compares with the document. Routes without a path or without methods (the
 * handlers in front of every call) are left out: they serve no resource of their own.
 */
public final class RouteTable {
    private static final Pattern TEMPLATE = Pattern.compile("/[A-Za-z0-9_.:/-]*\\*?");
    private static final Pattern PARAM = Pattern.compile(":([A-Za-z0-9_]+)");
    private static final Set<HttpMethod> ALL = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

    /**
     * One served path.
     *
     * @param path    the route's path as mounted ({@code /apps/:app}), or its regular expression
     * @param regex   whether {@code path} is a regular expression
     * @param methods the methods it answers
     */
    public record Entry(String path, boolean regex, Set<HttpMethod> methods) {
        public Entry {
            methods = Set.copyOf(methods);
        }

        /** The path as OpenAPI templates it: {@code /apps/{app}}; a regular expression as it is. */
        public String template() {
            return regex ? path : PARAM.matcher(path).replaceAll("{$1}");
        }

        /** Whether a request for {@code requestPath} is served by this entry (any method). */
        boolean matches(String requestPath) {
            return pattern().matcher(requestPath).matches();
        }

        Pattern pattern() {
            if (regex) {
                return Pattern.compile(path);
            }
            StringBuilder regexp = new StringBuilder();
            Matcher params = PARAM.matcher(path);
            int at = 0;
            while (params.find()) {
                regexp.append(Pattern.quote(path.substring(at, params.start()))).append("[^/]+");
                at = params.end();
            }
            String rest = path.substring(at);
            if (rest.endsWith("*")) {
                regexp.append(Pattern.quote(rest.substring(0, rest.length() - 1))).append(".*");
            } else {
                regexp.append(Pattern.quote(rest)).append("/?");
            }
            return Pattern.compile(regexp.toString());
        }
    }

    private final List<Entry> entries;
    private final List<Pattern> patterns;

    private RouteTable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        this.patterns = entries.stream().map(Entry::pattern).toList();
    }

    /** The routes {@code router} has now, in the order they were added, a path's methods merged. */
    public static RouteTable of(Router router) {
        Map<String, Entry> byPath = new LinkedHashMap<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            boolean regex = false;
            if (route.isRegexPath()) {
                // Vert.x keeps a path with parameters (/apps/:app) as a regular expression too; its
                // name is the path as mounted. A route made with pathRegex is named by its expression.
                path = route.getName();
                regex = path != null && !TEMPLATE.matcher(path).matches();
            }
            if (path == null || path.isEmpty() || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            String key = (regex ? "regex " : "path ") + path;
            Set<HttpMethod> methods = new java.util.HashSet<>(route.methods());
            Entry before = byPath.get(key);
            if (before != null) {
                methods.addAll(before.methods());
            }
            byPath.put(key, new Entry(path, regex, methods));
        }
        return new RouteTable(new ArrayList<>(byPath.values()));
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The methods some route answers {@code requestPath} with; empty when no route serves it. */
    Set<HttpMethod> methodsFor(String requestPath) {
        Set<HttpMethod> methods = new java.util.HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            if (patterns.get(i).matcher(requestPath).matches()) {
                methods.addAll(entries.get(i).methods());
            }
        }
        return methods;
    }

    /** {@code methods} as an {@code Allow} header's value, sorted. */
    static String allow(Collection<HttpMethod> methods) {
        Set<String> names = methods.stream().filter(ALL::contains).map(HttpMethod::name)
                .collect(Collectors.toCollection(TreeSet::new));
        return String.join(", ", names);
    }
}
