package dev.slipway.framework.api;

import dev.slipway.framework.placement.Constraint;
import dev.slipway.framework.placement.InvalidConstraint;
import dev.slipway.zk.App;
import java.util.ArrayList;
import java.util.List;

/**
 * A process type's {@code constraints} as the API takes them: Marathon's colon form
 * ({@code "hostname:UNIQUE"}) or its JSON array form ({@code ["hostname", "UNIQUE"]}), each
 * checked; stored in the colon form.
 */
final class ConstraintsBody {
    private ConstraintsBody() {
    }

    static List<String> parse(List<?> given) {
        if (given.size() > App.MAX_CONSTRAINTS) {
            throw new Invalid(422, "a process type has at most " + App.MAX_CONSTRAINTS + " constraints, not "
                    + given.size());
        }
        List<String> parsed = new ArrayList<>();
        for (Object item : given) {
            try {
                if (item instanceof String text) {
                    parsed.add(Constraint.parse(text).toString());
                } else if (item instanceof List<?> parts && parts.stream().allMatch(p -> p instanceof String)) {
                    parsed.add(Constraint.of(parts.stream().map(String.class::cast).toList()).toString());
                } else {
                    throw new Invalid(422, "constraint " + item + " is neither \"field:OPERATOR[:value]\" nor"
                            + " [\"field\", \"OPERATOR\", \"value\"]");
                }
            } catch (InvalidConstraint e) {
                throw new Invalid(422, e.getMessage());
            }
        }
        return parsed;
    }
}
