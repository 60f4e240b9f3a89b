package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.slipway.mesos.Credential;
import dev.slipway.mesos.MediaType;
import dev.slipway.mesos.MesosCodec;
import dev.slipway.mesos.MesosHttpClient;
import dev.slipway.mesos.MesosHttpException;
import dev.slipway.mesoslocal.auth.Authentication;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/**
 * mesos-local with Mesos's HTTP authentication on (frameworks, read-only endpoints, executors):
 * the attacks of a local process that found the framework id in {@code /master/state}, each one
 * refused as Mesos 1.11 refuses it, and the framework and its executors still at work.
 */
class AuthenticationTest extends MesosLocalTestBase {
    static final Credential SLIPWAY = new Credential("slipway", "the-real-secret");
    static final Credential OTHER = new Credential("other", "another-secret");
    static final byte[] EXECUTOR_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    @Override
    MesosLocalFlags flags() {
        return MesosLocalFlags.defaults().withExecutorShutdownGracePeriod(Duration.ofMillis(500))
                .withAuthentication(Authentication.required(List.of(SLIPWAY, OTHER), EXECUTOR_KEY));
    }

    TestScheduler subscribeAs(Credential credential, FrameworkInfo info) throws Exception {
        TestScheduler scheduler = new TestScheduler(mesos.masterUri(), MediaType.PROTOBUF,
                credential == null ? null : credential.basicAuthorization());
        register(scheduler);
        return scheduler.subscribe(info);
    }

    @Test
    void subscribeWithoutCredentialsIsRefusedWith401AndMesossChallenge() {
        assertThatThrownBy(() -> subscribeAs(null, TestScheduler.frameworkInfo().build()))
                .isInstanceOfSatisfying(MesosHttpException.class, e -> assertThat(e.status()).isEqualTo(401));

        Answer raw = postCall(subscribeCall(TestScheduler.frameworkInfo().build()), null, null);
        assertThat(raw.statusCode()).isEqualTo(401);
        assertThat(raw.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"mesos-master-scheduler\"");
    }

    @Test
    void subscribeWithAWrongSecretIsRefusedWith401() {
        Credential wrong = new Credential("slipway", "guessed");
        assertThatThrownBy(() -> subscribeAs(wrong, TestScheduler.frameworkInfo().build()))
                .isInstanceOfSatisfying(MesosHttpException.class, e -> assertThat(e.status()).isEqualTo(401));
        Credential unknown = new Credential("nobody", "the-real-secret");
        assertThatThrownBy(() -> subscribeAs(unknown, TestScheduler.frameworkInfo().build()))
                .isInstanceOfSatisfying(MesosHttpException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void teardownWithoutCredentialsIsRefusedWith401AndTheFrameworkStays() throws Exception {
        TestScheduler slipway = subscribeAs(SLIPWAY, TestScheduler.frameworkInfo().setPrincipal("slipway").build());

        Answer teardown = postCall(Call.newBuilder().setType(Call.Type.TEARDOWN)
                .setFrameworkId(slipway.frameworkId()).build(), slipway.streamId(), null);

        assertThat(teardown.statusCode()).isEqualTo(401);
        assertThat(frameworks()).contains(slipway.frameworkId().getValue());
    }

    @Test
    void teardownByAnotherKnownPrincipalIsRefused() throws Exception {
        TestScheduler slipway = subscribeAs(SLIPWAY, TestScheduler.frameworkInfo().setPrincipal("slipway").build());

        Answer teardown = postCall(Call.newBuilder().setType(Call.Type.TEARDOWN)
                .setFrameworkId(slipway.frameworkId()).build(), slipway.streamId(), OTHER.basicAuthorization());

        assertThat(teardown.statusCode()).isEqualTo(400);
        assertThat(teardown.body()).isEqualTo("Authenticated principal 'other' does not match principal 'slipway'"
                + " set in `FrameworkInfo`");
        assertThat(frameworks()).contains(slipway.frameworkId().getValue());
    }

    @Test
    void subscribeNamingAnotherPrincipalThanTheAuthenticatedOneIsRefused() {
        Answer answer = postCall(subscribeCall(TestScheduler.frameworkInfo().setPrincipal("slipway")
                .build()), null, OTHER.basicAuthorization());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("Failed to validate scheduler::Call: Authenticated principal 'other'"
                + " does not match principal 'slipway' set in `FrameworkInfo`");
    }

    @Test
    void anotherPrincipalCannotTakeOverAFrameworkBySubscribingWithItsId() throws Exception {
        TestScheduler slipway = subscribeAs(SLIPWAY, failoverFramework().toBuilder().setPrincipal("slipway").build());

        TestScheduler intruder = new TestScheduler(mesos.masterUri(), MediaType.PROTOBUF, OTHER.basicAuthorization());
        register(intruder);
        intruder.open(failoverFramework().toBuilder().setId(slipway.frameworkId()).build());

        assertThat(intruder.awaitEvent(e -> e.getType() == Event.Type.ERROR).getError().getMessage())
                .isEqualTo("Changing framework's principal is not allowed.");
        assertThat(slipway.streamEnded()).isFalse();
    }

    @Test
    void aFrameworkThatNamesNoPrincipalGetsTheAuthenticatedOne() throws Exception {
        TestScheduler slipway = subscribeAs(SLIPWAY, TestScheduler.frameworkInfo().build());

        String state = get(mesos.masterUri().resolve("/master/state"), SLIPWAY.basicAuthorization()).body();
        assertThat(state).contains("\"principal\":\"slipway\"").contains(slipway.frameworkId().getValue());
    }

    @Test
    void theOperatorTearsAFrameworkDownWithItsCredentials() throws Exception {
        TestScheduler slipway = subscribeAs(SLIPWAY, TestScheduler.frameworkInfo().setPrincipal("slipway").build());

        Answer teardown = postCall(Call.newBuilder().setType(Call.Type.TEARDOWN)
                .setFrameworkId(slipway.frameworkId()).build(), slipway.streamId(), SLIPWAY.basicAuthorization());

        assertThat(teardown.statusCode()).isEqualTo(202);
        await().atMost(TestScheduler.WAIT).until(slipway::streamEnded);
    }

    @Test
    void theOperatorsTeardownEndpointNeedsCredentials() throws Exception {
        TestScheduler slipway = subscribeAs(SLIPWAY, TestScheduler.frameworkInfo().setPrincipal("slipway").build());
        URI teardown = mesos.masterUri().resolve("/master/teardown");
        String form = "frameworkId=" + slipway.frameworkId().getValue();

        HttpResponse<String> anonymous = post(teardown, "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.UTF_8));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"mesos-master-readwrite\"");
        assertThat(frameworks()).contains(slipway.frameworkId().getValue());

        HttpResponse<String> operator = post(teardown, "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.UTF_8), "Authorization", SLIPWAY.basicAuthorization());
        assertThat(operator.statusCode()).isEqualTo(200);
        await().atMost(TestScheduler.WAIT).until(slipway::streamEnded);
    }

    @Test
    void aMesosCredentialsFileIsReadInEitherOfItsFormats() throws Exception {
        Path json = Files.writeString(workDir.resolve("credentials.json"),
                "{\"credentials\": [{\"principal\": \"slipway\", \"secret\": \"s1\"}]}");
        Path text = Files.writeString(workDir.resolve("credentials"), "slipway s1\nother s2\n");

        assertThat(Authentication.readCredentials(json)).containsExactly(new Credential("slipway", "s1"));
        assertThat(Authentication.readCredentials(text)).containsExactly(new Credential("slipway", "s1"),
                new Credential("other", "s2"));
        Path bad = Files.writeString(workDir.resolve("bad"), "slipway\n");
        assertThatThrownBy(() -> Authentication.readCredentials(bad)).hasMessageContaining("line 1")
                .hasMessageNotContaining("s1");
    }

    @Test
    void masterStateNeedsCredentialsAndHealthDoesNot() throws Exception {
        HttpResponse<String> anonymous = get(mesos.masterUri().resolve("/master/state"), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"mesos-master-readonly\"");
        assertThat(get(mesos.masterUri().resolve("/master/state.json"), null).statusCode()).isEqualTo(401);
        assertThat(get(mesos.masterUri().resolve("/master/state"), "Basic " + Base64.getEncoder()
                .encodeToString("slipway:wrong".getBytes(StandardCharsets.UTF_8))).statusCode()).isEqualTo(401);

        assertThat(get(mesos.masterUri().resolve("/master/state"), SLIPWAY.basicAuthorization()).statusCode())
                .isEqualTo(200);
        assertThat(get(mesos.masterUri().resolve("/health"), null).statusCode()).isEqualTo(200);
    }

    @Test
    void aTaskStillLaunchesWithCredentialsAndTheExecutorsToken() throws Exception {
        TestScheduler slipway = subscribeAs(SLIPWAY, TestScheduler.frameworkInfo().setPrincipal("slipway").build());
        Offer offer = slipway.awaitOffer();

        slipway.launch(offer, task(offer, "web.1", "run", 0.1, 32));

        slipway.awaitUpdate("web.1", TaskState.TASK_RUNNING);
    }

    @Test
    void executorCallsNeedTheExecutorsOwnToken() throws Exception {
        TestScheduler slipway = subscribeAs(SLIPWAY, TestScheduler.frameworkInfo().setPrincipal("slipway").build());
        Offer offer = slipway.awaitOffer();
        // Placeholder executors that only write down the token the agent gave them.
        slipway.launch(offer, tokenWriter(offer, "a.1"), tokenWriter(offer, "b.1"));
        Path tokenA = sandbox(slipway, offer, "a.1").resolve("token");
        Path tokenB = sandbox(slipway, offer, "b.1").resolve("token");
        await().atMost(TestScheduler.WAIT).until(() -> Files.exists(tokenA) && Files.size(tokenA) > 0
                && Files.exists(tokenB) && Files.size(tokenB) > 0);
        URI executorApi = mesos.agentUri().resolve("/api/v1/executor");
        org.apache.mesos.v1.executor.Protos.Call subscribeA = org.apache.mesos.v1.executor.Protos.Call.newBuilder()
                .setType(org.apache.mesos.v1.executor.Protos.Call.Type.SUBSCRIBE)
                .setFrameworkId(slipway.frameworkId())
                .setExecutorId(ExecutorID.newBuilder().setValue("a.1"))
                .setSubscribe(org.apache.mesos.v1.executor.Protos.Call.Subscribe.getDefaultInstance()).build();

        HttpResponse<String> anonymous = post(executorApi, MediaType.PROTOBUF.value(),
                MesosCodec.encode(subscribeA, MediaType.PROTOBUF));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"mesos-agent-executor\"");

        HttpResponse<String> forged = post(executorApi, MediaType.PROTOBUF.value(),
                MesosCodec.encode(subscribeA, MediaType.PROTOBUF), "Authorization",
                "Bearer " + Files.readString(tokenA).strip() + "x");
        assertThat(forged.statusCode()).isEqualTo(401);

        HttpResponse<String> withB = post(executorApi, MediaType.PROTOBUF.value(),
                MesosCodec.encode(subscribeA, MediaType.PROTOBUF), "Authorization",
                "Bearer " + Files.readString(tokenB).strip());
        assertThat(withB.statusCode()).isEqualTo(403);
        assertThat(withB.body()).contains("does not contain an 'eid' claim with the executor ID a.1");

        MesosHttpClient asA = new MesosHttpClient(MediaType.PROTOBUF, Duration.ofSeconds(5),
                MesosHttpClient.bearer(Files.readString(tokenA).strip()));
        try (MesosHttpClient.Stream stream = asA.subscribe(executorApi, subscribeA)) {
            assertThat(stream.reader().next()).isNotNull();
        }
    }

    private static org.apache.mesos.v1.Protos.TaskInfo tokenWriter(Offer offer, String id) {
        return task(offer, id, "run", 0.1, 32).toBuilder().setExecutor(executor(id, CommandInfo.newBuilder()
                .setValue("printf '%s' \"$MESOS_EXECUTOR_AUTHENTICATION_TOKEN\" > token; exec sleep 30").build()))
                .setData(ByteString.EMPTY).build();
    }

    private static Call subscribeCall(FrameworkInfo info) {
        return Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
    }

    private Answer postCall(Call call, String streamId, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(schedulerApi())
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", MediaType.PROTOBUF.value())
                .POST(HttpRequest.BodyPublishers.ofByteArray(MesosCodec.encode(call, MediaType.PROTOBUF)));
        if (streamId != null) {
            request.header("Mesos-Stream-Id", streamId);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<InputStream> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            // A 200 is a SUBSCRIBE stream that never ends: read only what a refusal would say.
            String body = response.statusCode() == 200 ? "" : new String(response.body().readAllBytes(),
                    StandardCharsets.UTF_8);
            response.body().close();
            return new Answer(response.statusCode(), response.headers(), body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String frameworks() throws Exception {
        return get(mesos.masterUri().resolve("/master/state"), SLIPWAY.basicAuthorization()).body();
    }

    /** A response whose body was read as far as the test needs. */
    private record Answer(int statusCode, HttpHeaders headers, String body) {
    }
}
