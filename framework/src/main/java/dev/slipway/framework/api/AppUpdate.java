package dev.slipway.framework.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.App;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code PATCH /apps/{app}}: the app's settings to change. {@code kill_grace_seconds} is the only
 * one so far, so the body must give it: a number of seconds, or null for the framework's default.
 * Read field by field because null (back to the default) and absent (unchanged) differ.
 *
 * @param killGraceSeconds the new kill grace, null for the framework's default
 */
record AppUpdate(Integer killGraceSeconds) {
    static final String KILL_GRACE = "kill_grace_seconds";

    /** The update the body asks for; {@link Invalid} (400 or 422) saying what is wrong with it. */
    static AppUpdate parse(JsonNode body, int defaultKillGraceSeconds) {
        if (body == null || !body.isObject()) {
            throw new Invalid(400, "the body must be a JSON object, e.g. {\"" + KILL_GRACE + "\": 30}");
        }
        List<String> unknown = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals(KILL_GRACE)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new Invalid(422, "cannot change " + String.join(", ", unknown) + ": an app's settings that can be "
                    + "changed are: " + KILL_GRACE);
        }
        if (!body.has(KILL_GRACE)) {
            throw new Invalid(422, "nothing to change: the body needs \"" + KILL_GRACE + "\" (seconds, or null for "
                    + "the default)");
        }
        JsonNode grace = body.get(KILL_GRACE);
        if (grace.isNull()) {
            return new AppUpdate(null);
        }
        if (!grace.isIntegralNumber() || !grace.canConvertToInt() || grace.intValue() < App.MIN_KILL_GRACE_SECONDS
                || grace.intValue() > App.MAX_KILL_GRACE_SECONDS) {
            throw new Invalid(422, KILL_GRACE + " must be a whole number of seconds from "
                    + App.MIN_KILL_GRACE_SECONDS + " to " + App.MAX_KILL_GRACE_SECONDS + ", or null for the default ("
                    + defaultKillGraceSeconds + "), not " + shortened(grace.toString()));
        }
        return new AppUpdate(grace.intValue());
    }

    private static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
