package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCommandsTest {
    @Test
    void theProgramIsTheFirstWordAfterTheVariableAssignments() {
        assertThat(ProcessCommands.program("gunicorn app.wsgi --log-file -")).hasValue("gunicorn");
        assertThat(ProcessCommands.program("  WEB_CONCURRENCY=2 DEBUG= bin/start  ")).hasValue("bin/start");
        assertThat(ProcessCommands.program("java $JAVA_OPTS -jar target/app.jar")).hasValue("java");
    }

    @Test
    void aProgramTheShellWouldExpandOrQuoteIsNotJudged() {
        assertThat(ProcessCommands.program("$JAVA_HOME/bin/java -jar app.jar")).isEmpty();
        assertThat(ProcessCommands.program("'my server' --port 5000")).isEmpty();
        assertThat(ProcessCommands.program("~/bin/start")).isEmpty();
        assertThat(ProcessCommands.program("bin/*.sh")).isEmpty();
        assertThat(ProcessCommands.program("(cd web; ./start)")).isEmpty();
        assertThat(ProcessCommands.program("A=1")).isEmpty();
    }
}
