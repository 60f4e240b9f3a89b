package dev.slipway.framework.placement;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An agent attribute's value, as Mesos gives it: text or scalar. Ranges and sets are not
 * carried (Marathon's constraints compare them as text only, and Slipway's users have none).
 */
public sealed interface Attribute {
    /** The value as constraints compare it: a scalar without trailing zeros ({@code 1.0} is {@code 1}). */
    String text();

    /** Whether the constraint value {@code wanted} names this value; a scalar compares as a number. */
    boolean is(String wanted);

    record Text(String value) implements Attribute {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String text() {
            return value;
        }

        @Override
        public boolean is(String wanted) {
            return value.equals(wanted);
        }
    }

    record Scalar(double value) implements Attribute {
        public Scalar {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a scalar attribute must be finite, was " + value);
            }
        }

        @Override
        public String text() {
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }

        @Override
        public boolean is(String wanted) {
            try {
                return Double.parseDouble(wanted) == value;
            } catch (NumberFormatException e) {
                return text().equals(wanted);
            }
        }
    }
}
