package dev.slipway.framework.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.App;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code PATCH /apps/{app}}: the app's settings to change, {@code kill_grace_seconds} and
 * {@code deploy_timeout_seconds}; the body gives one or both. Read field by field because null
 * (back to the default) and absent (unchanged) differ.
 *
 * @param killGrace            whether the body gives the kill grace
 * @param killGraceSeconds     the new kill grace, null for the framework's default
 * @param deployTimeout        whether the body gives the deploy timeout
 * @param deployTimeoutSeconds the new deploy timeout, null for the default
 */
record AppUpdate(boolean killGrace, Integer killGraceSeconds, boolean deployTimeout, Integer deployTimeoutSeconds) {
    static final String KILL_GRACE = "kill_grace_seconds";
    static final String DEPLOY_TIMEOUT = "deploy_timeout_seconds";

    /** The update the body asks for; {@link Invalid} (400 or 422) saying what is wrong with it. */
    static AppUpdate parse(JsonNode body, int defaultKillGraceSeconds) {
        if (body == null || !body.isObject()) {
            throw new Invalid(400, "the body must be a JSON object, e.g. {\"" + KILL_GRACE + "\": 30}");
        }
        List<String> unknown = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals(KILL_GRACE) && !name.equals(DEPLOY_TIMEOUT)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new Invalid(422, "cannot change " + String.join(", ", unknown) + ": an app's settings that can be "
                    + "changed are: " + KILL_GRACE + ", " + DEPLOY_TIMEOUT);
        }
        if (!body.has(KILL_GRACE) && !body.has(DEPLOY_TIMEOUT)) {
            throw new Invalid(422, "nothing to change: the body needs \"" + KILL_GRACE + "\" or \"" + DEPLOY_TIMEOUT
                    + "\" (seconds, or null for the default)");
        }
        Integer grace = seconds(body, KILL_GRACE, App.MIN_KILL_GRACE_SECONDS, App.MAX_KILL_GRACE_SECONDS,
                defaultKillGraceSeconds);
        Integer timeout = seconds(body, DEPLOY_TIMEOUT, App.MIN_DEPLOY_TIMEOUT_SECONDS, App.MAX_DEPLOY_TIMEOUT_SECONDS,
                App.DEFAULT_DEPLOY_TIMEOUT_SECONDS);
        return new AppUpdate(body.has(KILL_GRACE), grace, body.has(DEPLOY_TIMEOUT), timeout);
    }

    private static Integer seconds(JsonNode body, String field, int min, int max, int defaultSeconds) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw new Invalid(422, field + " must be a whole number of seconds from " + min + " to " + max
                    + ", or null for the default (" + defaultSeconds + "), not " + shortened(value.toString()));
        }
        return value.intValue();
    }

    private static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
