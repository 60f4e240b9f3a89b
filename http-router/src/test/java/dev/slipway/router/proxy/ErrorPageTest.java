package dev.slipway.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorPageTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "none | text/html",
            "*/* | text/html",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8 | text/html",
            "application/json | application/json",
            "application/json, text/plain, */* | application/json",
            "text/html;q=0.5, application/json | application/json",
            "application/* | application/json",
            "text/plain | text/plain",
            "text/*;q=0.9, application/json;q=0.1 | text/html",
            "application/json;q=0, */* | text/html",
            "image/png | text/html",
            "application/json;q=x | text/html"})
    void picksTheFormTheClientPrefers(String accept, String expected) {
        assertThat(ErrorPage.preferred(accept)).isEqualTo(expected);
    }

    @Test
    void aPageCarriesTheCodeTheSentenceAndTheRequestId() {
        ErrorPage html = ErrorPage.of(RouterError.H12, "req-1", null);
        ErrorPage json = ErrorPage.of(RouterError.H12, "req-1", "application/json");
        ErrorPage text = ErrorPage.of(RouterError.NO_SUCH_APP, "req-1", "text/plain");

        assertThat(html.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(html.body()).startsWith("<!DOCTYPE html>").contains("<title>Application error</title>",
                "The app did not start to answer in time.", "Error code: H12. Request ID: req-1");
        assertThat(json.body()).isEqualTo("{\"id\":\"H12\",\"message\":\"The app did not start to answer in time.\","
                + "\"request_id\":\"req-1\"}\n");
        assertThat(text.body()).isEqualTo("No such app. There is no app at this address. Request ID: req-1\n");
    }
}
