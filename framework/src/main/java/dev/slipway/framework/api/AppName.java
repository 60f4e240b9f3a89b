package dev.slipway.framework.api;

import java.util.regex.Pattern;

/** The rules for app names, as Heroku's: they become hostnames and ZooKeeper node names. */
final class AppName {
    private static final Pattern VALID = Pattern.compile("[a-z]([a-z0-9-]*[a-z0-9])?");
    static final int MAX_LENGTH = 30;

    private AppName() {
    }

    static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && VALID.matcher(name).matches();
    }

    static String validate(String name) {
        if (name == null || name.isBlank()) {
            throw new Invalid(422, "an app needs a name");
        }
        if (name.length() > MAX_LENGTH) {
            throw new Invalid(422, "app name '" + name + "' is too long: at most " + MAX_LENGTH + " characters");
        }
        if (!VALID.matcher(name).matches()) {
            throw new Invalid(422, "app name '" + name + "' is invalid: use lowercase letters, digits and dashes, "
                    + "starting with a letter and ending with a letter or digit");
        }
        return name;
    }
}
