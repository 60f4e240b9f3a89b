package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProcfileTest {
    @Test
    void parsesProcessTypesInTheFilesOrder() {
        Procfile procfile = Procfile.parse("web: bundle exec puma -p $PORT\nworker: ./bin/work\nclock: ./bin/clock\n");

        assertThat(procfile.processTypes()).containsExactly(
                Map.entry("web", "bundle exec puma -p $PORT"),
                Map.entry("worker", "./bin/work"),
                Map.entry("clock", "./bin/clock"));
    }

    @Test
    void skipsCommentsAndBlankLinesAndTrimsSpaces() {
        Procfile procfile = Procfile.parse("# the web\n\n   \n  web:   java Server.java  \n\t# indented comment\n");

        assertThat(procfile.processTypes()).containsExactly(Map.entry("web", "java Server.java"));
    }

    @Test
    void keepsColonsAndHashesInTheCommand() {
        Procfile procfile = Procfile.parse("web: java -cp lib/a.jar:lib/b.jar Main --url=http://x:1 # not a comment");

        assertThat(procfile.processTypes().get("web"))
                .isEqualTo("java -cp lib/a.jar:lib/b.jar Main --url=http://x:1 # not a comment");
    }

    @Test
    void acceptsCrlfAByteOrderMarkAndNoSpaceAfterTheColon() {
        Procfile procfile = Procfile.parse("\uFEFFweb:./start\r\nworker_2-b : ./work\r\n");

        assertThat(procfile.processTypes()).containsExactly(
                Map.entry("web", "./start"), Map.entry("worker_2-b", "./work"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "web: ok\\njust a command|Procfile line 2 is not `name: command`",
            "web: ok\\n\\nwe b: x|Procfile line 3 is not `name: command`",
            ": nameless|Procfile line 1 is not `name: command`",
            "web.1: dotted|Procfile line 1 is not `name: command`",
            "wéb: accented|Procfile line 1 is not `name: command`",
            "# c\\nweb:|Procfile line 2: process type 'web' has no command",
            "web:    |Procfile line 1: process type 'web' has no command"})
    void refusesAMalformedLineNamingIt(String text, String message) {
        assertThatThrownBy(() -> Procfile.parse(text.replace("\\n", "\n")))
                .isInstanceOf(InvalidSource.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Web: x", "1web: x", "-web: x", "web_is_a_name_of_thirty_one_chr: x"})
    void refusesANameThatIsNotALowercaseProcfileName(String line) {
        assertThatThrownBy(() -> Procfile.parse(line))
                .isInstanceOf(InvalidSource.class)
                .hasMessageStartingWith("Procfile line 1 is not `name: command` with a name of a lowercase letter");
    }

    @Test
    void takesAtMostFiftyProcessTypes() {
        StringBuilder fifty = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            fifty.append("t").append(i).append(": ./run\n");
        }

        assertThat(Procfile.parse(fifty.toString()).processTypes()).hasSize(50);
        assertThatThrownBy(() -> Procfile.parse(fifty + "t50: ./run\n"))
                .isInstanceOf(InvalidSource.class)
                .hasMessage("Procfile line 51: more than 50 process types");
    }

    @Test
    void refusesACommandOverFourKilobytes() {
        assertThatThrownBy(() -> Procfile.parse("web: " + "x".repeat(4097)))
                .isInstanceOf(InvalidSource.class)
                .hasMessage("Procfile line 1: the command of process type 'web' is longer than 4096 characters");
    }

    @Test
    void refusesADuplicateProcessType() {
        assertThatThrownBy(() -> Procfile.parse("web: a\nworker: b\nweb: c\n"))
                .isInstanceOf(InvalidSource.class)
                .hasMessage("Procfile line 3: process type 'web' is already defined on line 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "# only a comment\n", "   \n# web: x\n"})
    void refusesAProcfileWithoutProcessTypes(String text) {
        assertThatThrownBy(() -> Procfile.parse(text))
                .isInstanceOf(InvalidSource.class)
                .hasMessage("Procfile defines no process types");
    }

    @Test
    void readsAFile(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("Procfile"), "web: ./start\n");

        assertThat(Procfile.read(file).processTypes()).containsExactly(Map.entry("web", "./start"));
    }

    @Test
    void refusesAFileThatIsNotUtf8(@TempDir Path tmp) throws IOException {
        Path file = Files.write(tmp.resolve("Procfile"), new byte[] {'w', 'e', 'b', ':', ' ', (byte) 0xff, '\n'});

        assertThatThrownBy(() -> Procfile.read(file))
                .isInstanceOf(InvalidSource.class)
                .hasMessage("Procfile is not UTF-8 text");
    }

    @Test
    void refusesAHugeFile(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("Procfile"), "# padding\n".repeat(10_000) + "web: x\n");

        assertThatThrownBy(() -> Procfile.read(file))
                .isInstanceOf(InvalidSource.class)
                .hasMessage("Procfile is larger than 64 KB");
    }

    @Test
    void theRecordValidatesAndCopiesItsMap() {
        Map<String, String> types = new LinkedHashMap<>(Map.of("web", "x"));
        Procfile procfile = new Procfile(types);
        types.put("worker", "y");

        assertThat(procfile.processTypes()).containsOnlyKeys("web");
        assertThatThrownBy(() -> new Procfile(Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Procfile(Map.of("a b", "x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Procfile(Map.of("web", " "))).isInstanceOf(IllegalArgumentException.class);
    }
}
