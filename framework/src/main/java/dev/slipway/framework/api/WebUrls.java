package dev.slipway.framework.api;

/** The public URL of an app: {@code http://<app>.<domain>[:port]/}. */
record WebUrls(String domain, int routerPort) {
    String of(String app) {
        return "http://" + app + "." + domain + (routerPort == 80 ? "" : ":" + routerPort) + "/";
    }
}
