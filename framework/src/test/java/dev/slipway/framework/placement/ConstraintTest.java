package dev.slipway.framework.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConstraintTest {
    @Test
    void marathonsColonFormsAreParsed() {
        assertThat(Constraint.parse("hostname:UNIQUE")).isEqualTo(new Constraint("hostname", Operator.UNIQUE, ""));
        assertThat(Constraint.parse("rack:CLUSTER:rack-1")).isEqualTo(new Constraint("rack", Operator.CLUSTER, "rack-1"));
        assertThat(Constraint.parse("zone:GROUP_BY")).isEqualTo(new Constraint("zone", Operator.GROUP_BY, ""));
        assertThat(Constraint.parse("zone:GROUP_BY:3")).isEqualTo(new Constraint("zone", Operator.GROUP_BY, "3"));
        assertThat(Constraint.parse("hostname:LIKE:web.*")).isEqualTo(new Constraint("hostname", Operator.LIKE, "web.*"));
        assertThat(Constraint.parse("hostname:UNLIKE:db.*")).isEqualTo(new Constraint("hostname", Operator.UNLIKE, "db.*"));
        assertThat(Constraint.parse("hostname:MAX_PER:2")).isEqualTo(new Constraint("hostname", Operator.MAX_PER, "2"));
    }

    @Test
    void aRegularExpressionMayHoldColons() {
        assertThat(Constraint.parse("hostname:LIKE:a:b|c").value()).isEqualTo("a:b|c");
    }

    @Test
    void theJsonArrayFormIsParsed() {
        assertThat(Constraint.of(List.of("hostname", "UNIQUE"))).isEqualTo(Constraint.parse("hostname:UNIQUE"));
        assertThat(Constraint.of(List.of("rack", "CLUSTER", "rack-1"))).isEqualTo(Constraint.parse("rack:CLUSTER:rack-1"));
    }

    @Test
    void aConstraintIsWrittenBackInTheColonForm() {
        for (String text : List.of("hostname:UNIQUE", "rack:CLUSTER:rack-1", "zone:GROUP_BY:3", "hostname:LIKE:web.*")) {
            assertThat(Constraint.parse(text)).hasToString(text);
        }
    }

    @Test
    void anUnknownOperatorIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Constraint.parse("hostname:SPREAD")).isInstanceOf(InvalidConstraint.class)
                .hasMessage("constraint 'hostname:SPREAD': unknown operator 'SPREAD'; known are "
                        + "UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER");
    }

    @Test
    void aConstraintWithoutAnOperatorIsRefused() {
        assertThatThrownBy(() -> Constraint.parse("hostname")).isInstanceOf(InvalidConstraint.class)
                .hasMessageContaining("is not field:OPERATOR[:value]");
        assertThatThrownBy(() -> Constraint.of(List.of("hostname"))).isInstanceOf(InvalidConstraint.class);
    }

    @Test
    void missingValuesAreRefused() {
        assertThatThrownBy(() -> Constraint.parse("rack:CLUSTER")).hasMessageContaining("CLUSTER needs the value");
        assertThatThrownBy(() -> Constraint.parse("hostname:LIKE")).hasMessageContaining("LIKE needs a regular expression");
        assertThatThrownBy(() -> Constraint.parse("hostname:UNLIKE:")).hasMessageContaining("UNLIKE needs a regular");
        assertThatThrownBy(() -> Constraint.parse("hostname:MAX_PER")).hasMessageContaining("MAX_PER needs the largest");
    }

    @Test
    void aValueWhereNoneIsTakenIsRefused() {
        assertThatThrownBy(() -> Constraint.parse("hostname:UNIQUE:yes")).hasMessageContaining("UNIQUE takes no value");
    }

    @Test
    void malformedValuesAreRefused() {
        assertThatThrownBy(() -> Constraint.parse("hostname:LIKE:web[")).isInstanceOf(InvalidConstraint.class)
                .hasMessageContaining("'web[' is not a regular expression");
        assertThatThrownBy(() -> Constraint.parse("hostname:MAX_PER:two")).hasMessageContaining("not")
                .hasMessageContaining("MAX_PER needs");
        assertThatThrownBy(() -> Constraint.parse("hostname:MAX_PER:0")).isInstanceOf(InvalidConstraint.class);
        assertThatThrownBy(() -> Constraint.parse("zone:GROUP_BY:many")).hasMessageContaining("not 'many'");
        assertThatThrownBy(() -> Constraint.parse("zone:GROUP_BY:-1")).isInstanceOf(InvalidConstraint.class);
    }

    @Test
    void aFieldThatIsNoAttributeNameIsRefused() {
        assertThatThrownBy(() -> Constraint.parse(":UNIQUE")).hasMessageContaining("is neither hostname nor");
        assertThatThrownBy(() -> Constraint.parse("rack id:UNIQUE")).hasMessageContaining("field 'rack id'");
        assertThatThrownBy(() -> Constraint.parse("1rack:UNIQUE")).isInstanceOf(InvalidConstraint.class);
    }

    @Test
    void aConstraintLongerThan200CharactersIsRefused() {
        assertThatThrownBy(() -> Constraint.parse("hostname:LIKE:" + "a".repeat(190)))
                .isInstanceOf(InvalidConstraint.class).hasMessageContaining("at most 200");
    }
}
