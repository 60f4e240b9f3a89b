package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the launcher runs to make its class-data archive: the usual verbs, succeeding and failing as a user's would. */
class ClassDataTrainingTest {
    @Test
    void theTrainingRunsTheUsualVerbsAgainstItsStandInApiAndLeavesTheStreamsAsTheyWere() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;

        List<Integer> exitCodes = ClassDataTraining.train();

        int succeeding = ClassDataTraining.SUCCEEDING.length;
        assertThat(exitCodes.subList(0, succeeding)).as("the read verbs").containsOnly(0);
        assertThat(exitCodes.subList(succeeding, exitCodes.size())).as("an unknown app, verb and option")
                .containsExactly(1, 2, 2);
        assertThat(System.out).isSameAs(out);
        assertThat(System.err).isSameAs(err);
    }
}
