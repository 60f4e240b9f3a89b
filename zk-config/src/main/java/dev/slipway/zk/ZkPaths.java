package dev.slipway.zk;

/**
 * Every ZooKeeper path Slipway uses, relative to its chroot (default {@code /slipway}).
 * Paths are built here and nowhere else.
 */
public final class ZkPaths {
    public static final String DEFAULT_CHROOT = "/slipway";
    public static final String FRAMEWORK_ID = "/framework/id";
    public static final String FRAMEWORK_LEADER = "/framework/leader";
    public static final String APPS = "/apps";
    public static final String TASKS = "/tasks";
    public static final String ROUTES = "/routes";
    public static final String SERVICES = "/services";
    /** Custom domains, one node per hostname naming the app that has it: a hostname belongs to one app only. */
    public static final String DOMAINS = "/domains";
    /**
     * TLS certificates of custom domains, one node per hostname ({@link TlsCertificate}, private key
     * included): readable by the router, which serves them.
     */
    public static final String CERTS = "/certs";
    /** One ephemeral node per running router, holding the route version it serves (see {@link RouterAcks}). */
    public static final String ROUTERS = "/routers";
    /** Users, teams, API tokens (hashes only) and the key downloads and instances are signed with. */
    public static final String AUTH = "/auth";
    public static final String USERS = AUTH + "/users";
    public static final String TEAMS = AUTH + "/teams";
    public static final String TOKENS = AUTH + "/tokens";
    public static final String SIGNING_KEY = AUTH + "/signing-key";

    private ZkPaths() {
    }

    public static String app(String app) {
        return APPS + "/" + segment(app);
    }

    public static String config(String app) {
        return app(app) + "/config";
    }

    public static String releases(String app) {
        return app(app) + "/releases";
    }

    public static String release(String app, int version) {
        // Zero-padded so that ZooKeeper's lexical child order is the numeric order.
        return releases(app) + "/" + String.format("%010d", version);
    }

    public static String builds(String app) {
        return app(app) + "/builds";
    }

    public static String build(String app, String id) {
        return builds(app) + "/" + segment(id);
    }

    /** The deployments of an app, by the release each deploys. */
    public static String deployments(String app) {
        return app(app) + "/deployments";
    }

    public static String deployment(String app, int id) {
        // Zero-padded so that ZooKeeper's lexical child order is the numeric order.
        return deployments(app) + "/" + String.format("%010d", id);
    }

    /** The crash backoffs of an app's slots. */
    public static String crashes(String app) {
        return app(app) + "/crashes";
    }

    /** The crash backoff of one slot, {@code slot} as {@code web.1}. */
    public static String crash(String app, String slot) {
        return crashes(app) + "/" + segment(slot);
    }

    public static String task(String taskId) {
        return TASKS + "/" + segment(taskId);
    }

    public static String user(String name) {
        return USERS + "/" + segment(name);
    }

    public static String team(String name) {
        return TEAMS + "/" + segment(name);
    }

    public static String token(String id) {
        return TOKENS + "/" + segment(id);
    }

    /** The claim on {@code hostname} (lower case, as {@code www.example.com} or {@code *.example.com}). */
    public static String domain(String hostname) {
        return DOMAINS + "/" + segment(hostname);
    }

    /** The certificate (and private key) served for {@code hostname}, a custom domain of its app. */
    public static String cert(String hostname) {
        return CERTS + "/" + segment(hostname);
    }

    public static String route(String app) {
        return ROUTES + "/" + segment(app);
    }

    /** The acknowledgement node of the router {@code id}. */
    public static String router(String id) {
        return ROUTERS + "/" + segment(id);
    }

    /** {@code name} under {@code parent} (as listed by ZooKeeper). */
    public static String child(String parent, String name) {
        return (parent.endsWith("/") ? parent : parent + "/") + segment(name);
    }

    /** Whether {@code path} is {@code /routes} or under it: what the router reads. */
    public static boolean isRoutes(String path) {
        return path.equals(ROUTES) || path.startsWith(ROUTES + "/");
    }

    /** Whether {@code path} is {@code /certs} or under it: the certificates the router serves. */
    public static boolean isCerts(String path) {
        return path.equals(CERTS) || path.startsWith(CERTS + "/");
    }

    /** Whether {@code path} is a router's acknowledgement node (under {@code /routers}). */
    public static boolean isRouterAck(String path) {
        return path.startsWith(ROUTERS + "/");
    }

    /**
     * {@code path} (a whole ZooKeeper path) relative to {@code chroot}, {@code /} for the chroot node
     * itself; null when it is not under the chroot.
     */
    public static String withinChroot(String chroot, String path) {
        String root = chroot.isEmpty() || chroot.equals("/") ? "" : (chroot.startsWith("/") ? chroot : "/" + chroot);
        if (root.isEmpty()) {
            return path;
        }
        if (path.equals(root)) {
            return "/";
        }
        return path.startsWith(root + "/") ? path.substring(root.length()) : null;
    }

    /** The last segment of a path. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String segment(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a valid ZooKeeper path segment: '" + name + "'");
        }
        return name;
    }
}
