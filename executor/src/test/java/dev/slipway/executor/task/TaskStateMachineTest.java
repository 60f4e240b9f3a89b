package dev.slipway.executor.task;

import static dev.slipway.executor.testing.HealthSpecBuilder.aCommandCheck;
import static dev.slipway.executor.testing.HealthSpecBuilder.anHttpCheck;
import static dev.slipway.executor.testing.TaskSpecBuilder.aWebInstance;
import static dev.slipway.executor.testing.TaskSpecBuilder.aWorker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.executor.process.ExitStatus;
import dev.slipway.executor.task.Effect.Cause;
import dev.slipway.executor.task.Effect.Exit;
import dev.slipway.executor.task.Effect.Report;
import dev.slipway.executor.task.Effect.StartProcess;
import dev.slipway.executor.task.Effect.Status;
import dev.slipway.executor.task.Effect.StopHealthWatch;
import dev.slipway.executor.task.Effect.Terminate;
import dev.slipway.executor.task.Effect.WatchHealth;
import dev.slipway.executor.task.TaskEvent.AgentLost;
import dev.slipway.executor.task.TaskEvent.BootTimedOut;
import dev.slipway.executor.task.TaskEvent.Healthy;
import dev.slipway.executor.task.TaskEvent.KillRequested;
import dev.slipway.executor.task.TaskEvent.Launch;
import dev.slipway.executor.task.TaskEvent.LaunchRejected;
import dev.slipway.executor.task.TaskEvent.ProcessExited;
import dev.slipway.executor.task.TaskEvent.ProcessStartFailed;
import dev.slipway.executor.task.TaskEvent.ProcessStarted;
import dev.slipway.executor.task.TaskEvent.ShutdownRequested;
import dev.slipway.executor.task.TaskEvent.Unhealthy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskStateMachineTest {
    private static final String ID = "hello.web.1.v3.x1";
    private static final TaskSpec WEB = aWebInstance(31000, 60).killGraceSeconds(10).build();
    private static final TaskSpec WORKER = aWorker().killGraceSeconds(10).build();
    private static final String R10 = "web process failed to bind to 31000 within 60 s";
    private static final String FAILED_3_TIMES = "health check failed 3 times: GET /health answered 500";

    private Task task = Task.awaitingLaunch();
    private List<Effect> effects;

    private TaskStateMachineTest on(TaskEvent event) {
        Transition transition = TaskStateMachine.apply(task, event);
        task = transition.next();
        effects = transition.effects();
        return this;
    }

    private void runningWeb() {
        on(new Launch(ID, WEB)).on(new ProcessStarted("pid 42"));
    }

    private void healthyWeb() {
        runningWeb();
        on(new Healthy("listening on port 31000"));
    }

    @Test
    void launchReportsStartingAndStartsTheProcess() {
        on(new Launch(ID, WEB));

        assertThat(task.phase()).isEqualTo(Phase.STARTING);
        assertThat(task.taskId()).isEqualTo(ID);
        assertThat(effects).containsExactly(new Report(ID, Status.STARTING, "starting web.1", Cause.NONE),
                new StartProcess(WEB));
    }

    @Test
    void aStartedWebProcessIsRunningAndItsPortWatched() {
        runningWeb();

        assertThat(task.phase()).isEqualTo(Phase.RUNNING);
        assertThat(effects).containsExactly(new Report(ID, Status.RUNNING, "web.1 running as pid 42", Cause.NONE),
                new WatchHealth(31000, HealthSpec.tcp(60)));
    }

    @Test
    void everyKindOfCheckIsWatchedAsItsSpecSays() {
        HealthSpec http = anHttpCheck("/health").intervalSeconds(2).build();
        on(new Launch(ID, aWebInstance(31000, 60).health(anHttpCheck("/health").intervalSeconds(2)).build()))
                .on(new ProcessStarted("pid 42"));

        assertThat(effects).contains(new WatchHealth(31000, http));

        task = Task.awaitingLaunch();
        HealthSpec command = aCommandCheck("test -f /tmp/ok").build();
        on(new Launch(ID, aWorker().health(aCommandCheck("test -f /tmp/ok")).build()))
                .on(new ProcessStarted("pid 7"));

        assertThat(effects).contains(new WatchHealth(0, command));
    }

    @Test
    void aStartedWorkerIsRunningWithoutAHealthWatch() {
        on(new Launch(ID, WORKER)).on(new ProcessStarted("pid 7"));

        assertThat(task.phase()).isEqualTo(Phase.RUNNING);
        assertThat(effects).containsExactly(new Report(ID, Status.RUNNING, "worker.1 running as pid 7", Cause.NONE));
    }

    @Test
    void aBoundPortMakesTheTaskHealthyOnce() {
        runningWeb();
        on(new Healthy("listening on port 31000"));

        assertThat(task.phase()).isEqualTo(Phase.HEALTHY);
        assertThat(effects).containsExactly(
                new Report(ID, Status.HEALTHY, "listening on port 31000", Cause.HEALTH_CHECK));
        assertThat(on(new Healthy("listening on port 31000")).effects).isEmpty();
    }

    @Test
    void aPortNeverBoundKillsTheProcessAndFailsTheTaskWithR10() {
        runningWeb();
        on(new BootTimedOut(R10));

        assertThat(task.phase()).isEqualTo(Phase.KILLING);
        assertThat(effects).containsExactly(new Terminate(Duration.ofSeconds(10)));

        on(new ProcessExited(new ExitStatus(143)));

        assertThat(task.phase()).isEqualTo(Phase.TERMINATED);
        assertThat(effects).containsExactly(new Report(ID, Status.FAILED, R10, Cause.HEALTH_CHECK));
    }

    @Test
    void aHealthyInstanceThatTurnsUnhealthyIsReportedSoThenStoppedAndFailed() {
        healthyWeb();
        on(new Unhealthy(FAILED_3_TIMES));

        assertThat(task.phase()).isEqualTo(Phase.KILLING);
        assertThat(effects).containsExactly(new StopHealthWatch(),
                new Report(ID, Status.UNHEALTHY, FAILED_3_TIMES, Cause.HEALTH_CHECK),
                new Terminate(Duration.ofSeconds(10)));

        on(new ProcessExited(new ExitStatus(143)));

        assertThat(task.phase()).isEqualTo(Phase.TERMINATED);
        assertThat(effects).containsExactly(new Report(ID, Status.FAILED, FAILED_3_TIMES, Cause.HEALTH_CHECK));
    }

    @Test
    void aKillWhileAnUnhealthyInstanceStopsMayHurryItButItStillFailsWithTheReason() {
        healthyWeb();
        on(new Unhealthy(FAILED_3_TIMES)).on(new KillRequested(ID, Duration.ZERO));

        assertThat(effects).containsExactly(new Terminate(Duration.ZERO));

        on(new ProcessExited(new ExitStatus(137)));

        assertThat(effects).containsExactly(new Report(ID, Status.FAILED, FAILED_3_TIMES, Cause.HEALTH_CHECK));
    }

    @Test
    void anInstanceThatExitsByItselfWhileUnhealthyStillFailsWithTheHealthReason() {
        healthyWeb();
        on(new Unhealthy(FAILED_3_TIMES)).on(new ProcessExited(new ExitStatus(0)));

        assertThat(effects).containsExactly(new Report(ID, Status.FAILED, FAILED_3_TIMES, Cause.HEALTH_CHECK));
    }

    @Test
    void healthNewsOutOfTurnChangesNothing() {
        runningWeb();
        assertThat(on(new Unhealthy(FAILED_3_TIMES)).effects).as("unhealthy before healthy").isEmpty();
        assertThat(task.phase()).isEqualTo(Phase.RUNNING);

        on(new Healthy("listening on port 31000"));
        assertThat(on(new BootTimedOut(R10)).effects).as("a boot timeout once healthy").isEmpty();
        assertThat(task.phase()).isEqualTo(Phase.HEALTHY);
    }

    @Test
    void anOutOfMemoryKillFailsTheTaskSayingSo() {
        runningWeb();
        on(new ProcessExited(ExitStatus.outOfMemory(137, 512L * 1024 * 1024)));

        assertThat(task.phase()).isEqualTo(Phase.TERMINATED);
        assertThat(effects).containsExactly(new StopHealthWatch(), new Report(ID, Status.FAILED,
                "exited 137: out of memory (limit 512 MB)", Cause.PROCESS_EXITED));
    }

    @Test
    void anExitOfZeroFinishesTheTask() {
        on(new Launch(ID, WORKER)).on(new ProcessStarted("pid 7")).on(new ProcessExited(new ExitStatus(0)));

        assertThat(task.phase()).isEqualTo(Phase.TERMINATED);
        assertThat(effects).containsExactly(new StopHealthWatch(),
                new Report(ID, Status.FINISHED, "exited with code 0", Cause.NONE));
    }

    /**
     * A one-off dyno ({@code slipway run}) is a task without a health check: its command's exit code
     * is the task's end, FINISHED for 0 and FAILED otherwise, in words the framework reads the code
     * back from ({@code OneOff.exitCode}), as are a command the shell cannot find (127) and a kill.
     */
    @Test
    void aOneOffsExitCodeIsReportedInItsTerminalUpdate() {
        TaskSpec oneOff = aWorker().command("echo hello; exit 3").killGraceSeconds(10).build();
        for (int code : new int[] {3, 127, 1}) {
            task = Task.awaitingLaunch();
            on(new Launch(ID, oneOff)).on(new ProcessStarted("pid 7")).on(new ProcessExited(new ExitStatus(code)));

            assertThat(task.phase()).isEqualTo(Phase.TERMINATED);
            assertThat(effects).containsExactly(new StopHealthWatch(),
                    new Report(ID, Status.FAILED, "exited with code " + code, Cause.PROCESS_EXITED));
        }
        task = Task.awaitingLaunch();
        on(new Launch(ID, oneOff)).on(new ProcessStarted("pid 7")).on(new ProcessExited(new ExitStatus(0)));
        assertThat(effects).containsExactly(new StopHealthWatch(),
                new Report(ID, Status.FINISHED, "exited with code 0", Cause.NONE));

        task = Task.awaitingLaunch();
        on(new Launch(ID, oneOff)).on(new ProcessStarted("pid 7")).on(new KillRequested(ID, null))
                .on(new ProcessExited(new ExitStatus(143)));
        assertThat(effects).containsExactly(new Report(ID, Status.KILLED, "killed: killed by signal 15", Cause.NONE));
    }

    @Test
    void anyOtherExitFailsTheTaskSayingHow() {
        healthyWeb();
        on(new ProcessExited(new ExitStatus(3)));

        assertThat(effects).containsExactly(new StopHealthWatch(),
                new Report(ID, Status.FAILED, "exited with code 3", Cause.PROCESS_EXITED));

        task = Task.awaitingLaunch();
        runningWeb();
        on(new ProcessExited(new ExitStatus(137)));

        assertThat(effects).contains(new Report(ID, Status.FAILED, "killed by signal 9", Cause.PROCESS_EXITED));
    }

    @Test
    void killReportsKillingTerminatesWithTheTasksGraceThenReportsKilled() {
        healthyWeb();
        on(new KillRequested(ID, null));

        assertThat(task.phase()).isEqualTo(Phase.KILLING);
        assertThat(effects).containsExactly(new StopHealthWatch(),
                new Report(ID, Status.KILLING, "killing web.1", Cause.NONE), new Terminate(Duration.ofSeconds(10)));

        on(new ProcessExited(new ExitStatus(143)));

        assertThat(task.phase()).isEqualTo(Phase.TERMINATED);
        assertThat(effects).containsExactly(
                new Report(ID, Status.KILLED, "killed: killed by signal 15", Cause.NONE));
    }

    @Test
    void aKillPolicysGracePeriodOverridesTheTasksAndCanHurryAKillAlong() {
        runningWeb();
        on(new KillRequested(ID, Duration.ofSeconds(3)));

        assertThat(effects).contains(new Terminate(Duration.ofSeconds(3)));

        on(new KillRequested(ID, Duration.ZERO));

        assertThat(task.phase()).isEqualTo(Phase.KILLING);
        assertThat(effects).containsExactly(new Terminate(Duration.ZERO));
    }

    @Test
    void aKillForAnotherTaskIsIgnored() {
        runningWeb();
        on(new KillRequested("someone.else", null));

        assertThat(task.phase()).isEqualTo(Phase.RUNNING);
        assertThat(effects).isEmpty();
    }

    @Test
    void aKillWhileStartingTerminatesTheProcessOnceItRuns() {
        on(new Launch(ID, WEB)).on(new KillRequested(ID, null));

        assertThat(effects).containsExactly(new Report(ID, Status.KILLING, "killing web.1", Cause.NONE));

        on(new ProcessStarted("pid 42"));

        assertThat(effects).containsExactly(new Terminate(Duration.ofSeconds(10)));
        assertThat(on(new ProcessExited(new ExitStatus(0))).effects)
                .containsExactly(new Report(ID, Status.KILLED, "killed: exited with code 0", Cause.NONE));
    }

    @Test
    void shutdownKillsWithinTheAgentsBound() {
        runningWeb();
        on(new ShutdownRequested(Duration.ofSeconds(4)));

        assertThat(effects).contains(new Report(ID, Status.KILLING, "killing web.1", Cause.NONE),
                new Terminate(Duration.ofSeconds(4)));
        assertThat(on(new ProcessExited(new ExitStatus(0))).effects)
                .containsExactly(new Report(ID, Status.KILLED, "killed: exited with code 0", Cause.NONE));

        task = Task.awaitingLaunch();
        on(new Launch(ID, aWorker().killGraceSeconds(1).build())).on(new ProcessStarted("pid 1"))
                .on(new ShutdownRequested(Duration.ofSeconds(4)));

        assertThat(effects).contains(new Terminate(Duration.ofSeconds(1)));
    }

    @Test
    void shutdownWithoutARunningTaskExitsAtOnce() {
        on(new ShutdownRequested(Duration.ofSeconds(4)));

        assertThat(effects).containsExactly(new Exit(TaskStateMachine.EXIT_DONE));
    }

    @Test
    void anInvalidLaunchFailsTheTask() {
        on(new LaunchRejected(ID, "invalid TaskSpec: command must not be blank"));

        assertThat(task.phase()).isEqualTo(Phase.TERMINATED);
        assertThat(effects).containsExactly(new Report(ID, Status.FAILED,
                "invalid TaskSpec: command must not be blank", Cause.TASK_INVALID));
    }

    @Test
    void aProcessThatCannotStartFailsTheTask() {
        on(new Launch(ID, WEB)).on(new ProcessStartFailed("the slug is not unpacked"));

        assertThat(task.phase()).isEqualTo(Phase.TERMINATED);
        assertThat(effects).containsExactly(
                new Report(ID, Status.FAILED, "the slug is not unpacked", Cause.LAUNCH_FAILED));
    }

    @Test
    void aSecondTaskIsRefusedWithoutDisturbingTheFirst() {
        runningWeb();
        on(new Launch("other", WORKER));

        assertThat(task.phase()).isEqualTo(Phase.RUNNING);
        assertThat(task.taskId()).isEqualTo(ID);
        assertThat(effects).containsExactly(new Report("other", Status.FAILED,
                "this executor already runs task " + ID, Cause.TASK_INVALID));
        assertThat(on(new Launch(ID, WEB)).effects).isEmpty();
    }

    @Test
    void losingTheAgentStopsTheProcessAndExitsWithoutReporting() {
        runningWeb();
        on(new AgentLost());

        assertThat(task.phase()).isEqualTo(Phase.KILLING);
        assertThat(effects).containsExactly(new StopHealthWatch(), new Terminate(Duration.ofSeconds(10)));

        on(new ProcessExited(new ExitStatus(143)));

        assertThat(effects).containsExactly(new Exit(TaskStateMachine.EXIT_AGENT_LOST));
    }

    @Test
    void losingTheAgentWithNothingRunningExitsAtOnce() {
        assertThat(on(new AgentLost()).effects).containsExactly(new Exit(TaskStateMachine.EXIT_AGENT_LOST));
    }

    @Test
    void lateEventsChangeNothing() {
        on(new Launch(ID, WORKER)).on(new ProcessStarted("pid 7")).on(new ProcessExited(new ExitStatus(0)));
        Task terminated = task;

        for (TaskEvent late : List.of(new Healthy("listening on port 31000"), new BootTimedOut(R10),
                new Unhealthy(FAILED_3_TIMES), new ProcessExited(new ExitStatus(1)),
                new KillRequested(ID, null), new ProcessStarted("pid 8"))) {
            assertThat(on(late).effects).as(late.toString()).isEmpty();
            assertThat(task).isEqualTo(terminated);
        }
    }
}
