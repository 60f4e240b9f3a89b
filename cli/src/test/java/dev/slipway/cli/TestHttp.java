package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** HTTP as the tests use it: plain GETs, JSON answers, and requests through the router by Host. */
final class TestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TestHttp() {
    }

    /** A GET, with the token the CLI stores for the URI's origin when it has one (a Slipway API's). */
    static HttpResponse<String> get(URI uri) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        Credentials.ofThisUser().get(uri.getScheme() + "://" + uri.getRawAuthority())
                .ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with an {@code Authorization} header (mesos-local's endpoints). */
    static HttpResponse<String> get(URI uri, String authorization) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A form POST with an {@code Authorization} header (Mesos's operator endpoints). */
    static HttpResponse<String> postForm(URI uri, String form, String authorization) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(URI uri) throws Exception {
        return Json.mapper().readTree(get(uri).body());
    }

    static List<JsonNode> list(URI uri) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        json(uri).forEach(list::add);
        return list;
    }

    /** GET / through the router on {@code routerPort}, as curl -H 'Host: ...' does. */
    static HttpResponse<String> viaRouter(int routerPort, String host) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + routerPort + "/"))
                .header("Host", host).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
