package dev.slipway.framework.api;

import dev.slipway.framework.api.Bodies.AppBody;
import dev.slipway.zk.App;
import dev.slipway.zk.DeploymentStore;

/**
 * How the API shows an app: with its public URL, and with the settings it leaves to the framework
 * filled in from the framework's defaults, so that a client sees what applies.
 */
record AppBodies(WebUrls urls, int defaultKillGraceSeconds, DeploymentStore deployments) {
    AppBody of(App app) {
        return AppBody.of(app, urls.of(app.name()), defaultKillGraceSeconds,
                app.release() == 0 ? null : deployments.latest(app.name()).orElse(null));
    }
}
