package dev.slipway.framework.deploy;

import dev.slipway.zk.App;
import dev.slipway.zk.Release;
import java.util.Objects;

/** An app with its current release (null before the first deploy). */
public record AppState(App app, Release release) {
    public AppState {
        Objects.requireNonNull(app, "app");
    }

    /** How many instances of {@code type} are wanted: the formation, else one web (Heroku's default). */
    public int wanted(String type) {
        Integer count = app.formation().get(type);
        if (count != null) {
            return count;
        }
        return "web".equals(type) ? 1 : 0;
    }
}
