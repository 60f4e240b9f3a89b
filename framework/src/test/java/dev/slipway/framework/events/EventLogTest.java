package dev.slipway.framework.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The leader's bounded event log: ids, the ring, resumption and terms. */
class EventLogTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T04:00:00Z"), ZoneOffset.UTC);

    private static void publish(EventLog log, int n) {
        log.publish(EventTypes.BUILD_STARTED, "app", Map.of("n", n, "message", "n " + n));
    }

    @Test
    void idsCountUpWithinATermAndANewTermNumbersAfresh() {
        EventLog log = new EventLog(clock, 5);
        List<Event> seen = new ArrayList<>();
        log.subscribe(null, seen::add);
        publish(log, 1);
        publish(log, 2);
        log.newTerm();
        // A new term ends the streams: their clients come back.
        log.subscribe(null, seen::add);
        publish(log, 3);

        assertThat(seen).extracting(Event::seq).containsExactly(1L, 2L, 1L);
        assertThat(seen.get(0).term()).isEqualTo(seen.get(1).term()).isNotEqualTo(seen.get(2).term());
        assertThat(seen.get(0).json()).startsWith("{\"id\":\"" + seen.get(0).id() + "\",\"type\":\"build.started\","
                + "\"app\":\"app\",\"at\":\"2026-12-07T04:00:00Z\"");
    }

    @Test
    void anEventPublishedWithItsAppsTeamCarriesItAndItsJsonSaysItAndOneWithoutNamesNone() {
        EventLog log = new EventLog(clock, 5);
        List<Event> seen = new ArrayList<>();
        log.subscribe(null, seen::add);

        log.publish(EventTypes.APP_CREATED, "blue-app", "blue", Map.of("message", "app blue-app created"));
        log.publish(EventTypes.BUILD_STARTED, "blue-app", Map.of("message", "Build started"));
        EventSink plain = log::publish;
        plain.publish(EventTypes.APP_CREATED, "red-app", "red", Map.of("message", "app red-app created"));

        assertThat(seen).extracting(Event::team).containsExactly("blue", null, null);
        assertThat(seen.get(0).json()).contains("\"team\":\"blue\"").contains("\"message\":\"app blue-app created\"");
        assertThat(seen.get(1).json()).doesNotContain("team");
        // A sink that knows nothing of teams still gets it among the fields.
        assertThat(seen.get(2).json()).contains("\"team\":\"red\"");
    }

    @Test
    void resumingGivesTheEventsAfterTheIdAndTheLatestIdGivesNone() {
        EventLog log = new EventLog(clock, 5);
        for (int n = 1; n <= 4; n++) {
            publish(log, n);
        }
        String second = log.lastId().replaceFirst("-4$", "-2");

        EventLog.Resume after = log.subscribe(second, e -> { });
        EventLog.Resume latest = log.subscribe(log.lastId(), e -> { });

        assertThat(after.missed()).isNull();
        assertThat(after.backlog()).extracting(Event::seq).containsExactly(3L, 4L);
        assertThat(latest.missed()).isNull();
        assertThat(latest.backlog()).isEmpty();
    }

    @Test
    void theRingKeepsTheLastEventsAndAnOlderIdIsToldAsMissedWithEveryEventKept() {
        EventLog log = new EventLog(clock, 3);
        publish(log, 1);
        String first = log.lastId();
        publish(log, 2);
        String second = log.lastId();
        for (int n = 3; n <= 5; n++) {
            publish(log, n);
        }

        EventLog.Resume tooOld = log.subscribe(first, e -> { });
        EventLog.Resume justKept = log.subscribe(second, e -> { });

        assertThat(tooOld.missed()).contains("older than the last 3 events kept");
        assertThat(tooOld.backlog()).extracting(Event::seq).containsExactly(3L, 4L, 5L);
        assertThat(justKept.missed()).isNull();
        assertThat(justKept.backlog()).extracting(Event::seq).containsExactly(3L, 4L, 5L);
    }

    @Test
    void anIdOfAnotherTermOrNeverSentIsMissed() {
        EventLog log = new EventLog(clock, 3);
        publish(log, 1);
        String before = log.lastId();
        log.newTerm();
        publish(log, 2);
        String future = log.lastId().replaceFirst("-1$", "-9");

        assertThat(log.subscribe(before, e -> { }).missed()).contains("not of this leader's term");
        assertThat(log.subscribe(future, e -> { }).missed()).contains("was never sent");
        assertThat(log.subscribe("(not an event id)", e -> { }).backlog()).extracting(Event::seq).containsExactly(1L);
    }

    @Test
    void aCancelledSubscriberHearsNoMore() {
        EventLog log = new EventLog(clock, 3);
        List<Event> seen = new ArrayList<>();
        EventLog.Resume resume = log.subscribe(null, seen::add);
        publish(log, 1);
        resume.cancel().run();
        publish(log, 2);

        assertThat(seen).hasSize(1);
        assertThat(log.subscribers()).isZero();
    }

    @Test
    void endingTheStreamsTellsEverySubscriberAndANewTermEndsThemToo() {
        EventLog log = new EventLog(clock, 3);
        List<String> ended = new ArrayList<>();
        log.subscribe(null, new EventLog.Subscriber() {
            @Override
            public void event(Event event) {
            }

            @Override
            public void ended(String why) {
                ended.add(why);
            }
        });
        log.endStreams("deposed");
        log.subscribe(null, new EventLog.Subscriber() {
            @Override
            public void event(Event event) {
            }

            @Override
            public void ended(String why) {
                ended.add(why);
            }
        });
        log.newTerm();

        assertThat(ended).hasSize(2).first().isEqualTo("deposed");
        assertThat(ended.get(1)).startsWith("a new term of leadership began");
        assertThat(log.subscribers()).isZero();
    }

    @Test
    void aFieldThatWouldHideTheEventsOwnIsRefusedWithoutThrowingAtThePublisher() {
        EventLog log = new EventLog(clock, 3);
        List<Event> seen = new ArrayList<>();
        log.subscribe(null, seen::add);

        log.publish(EventTypes.APP_CREATED, "app", Map.of("id", "forged"));

        assertThat(seen).isEmpty();
    }
}
