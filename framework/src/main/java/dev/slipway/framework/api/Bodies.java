package dev.slipway.framework.api;

import dev.slipway.zk.App;
import dev.slipway.zk.Instance;
import dev.slipway.zk.Release;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the API (snake_case on the wire). */
final class Bodies {
    private Bodies() {
    }

    record CreateApp(String name) {
    }

    record AppBody(String name, String webUrl, Integer release, Map<String, Integer> formation, Instant createdAt) {
        static AppBody of(App app, String webUrl) {
            return new AppBody(app.name(), webUrl, app.release() == 0 ? null : app.release(), app.formation(),
                    app.createdAt());
        }
    }

    record ReleaseBody(int version, SlugRef slug, Map<String, String> processTypes, String description,
                       Instant createdAt) {
        static ReleaseBody of(Release release) {
            return new ReleaseBody(release.version(), new SlugRef(release.slug(), release.slugSize()),
                    release.processTypes(), release.description(), release.createdAt());
        }
    }

    record SlugRef(String id, long size) {
    }

    record BuildBody(String id, String status, ReleaseBody release, List<String> output) {
    }

    record DynoBody(String name, String type, String state, int release, boolean healthy, String host, int port,
                    String taskId, String message, Instant updatedAt) {
        static DynoBody of(Instance instance) {
            return new DynoBody(instance.name(), instance.process(), state(instance), instance.release(),
                    instance.healthy(), instance.host(), instance.port(), instance.taskId(), instance.message(),
                    instance.updatedAt());
        }

        /** Heroku's dyno states: starting, up, crashed, down (stopping), plus the Mesos state in detail. */
        private static String state(Instance instance) {
            return switch (instance.state()) {
                case RUNNING -> instance.healthy() || !"web".equals(instance.process()) ? "up" : "starting";
                case LAUNCHING, STAGING, STARTING -> "starting";
                case KILLING -> "stopping";
                case FINISHED, KILLED -> "down";
                default -> "crashed";
            };
        }
    }

    record FormationBody(String type, int quantity, String command) {
    }

    record ScaleBody(Integer quantity) {
    }
}
