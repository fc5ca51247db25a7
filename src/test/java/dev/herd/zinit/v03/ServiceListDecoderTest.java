package dev.herd.zinit.v03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** service.list_full read token by token: every tagged state form of docs/zinit-protocol.md §7. */
class ServiceListDecoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<ServiceStatus> decode(String result) throws IOException {
        try (JsonParser parser = JSON.createParser(result)) {
            parser.nextToken();
            List<ServiceStatus> list = ServiceListDecoder.INSTANCE.decode(parser);
            assertThat(parser.nextToken()).as("the decoder consumed exactly the value").isNull();
            return list;
        }
    }

    private static ServiceStatus status(String name, ServiceState state, String raw, int pid, ServiceStatus.Target target,
                                        OptionalInt exit, String error) {
        return new ServiceStatus(name, state, raw, pid, target, Map.of(), exit, error);
    }

    @Test
    void everyTaggedStateFormBecomesTheSameStatusAsZinitsFlatForm() throws IOException {
        List<ServiceStatus> list = decode("""
                [{"is_target":false,"name":"web","state":{"pid":22091,"state":"running"}},
                 {"name":"boot","is_target":true,"state":{"state":"running"}},
                 {"is_target":false,"name":"done","state":{"exit_code":0,"state":"exited"}},
                 {"is_target":false,"name":"killed","state":{"exit_code":null,"state":"exited"}},
                 {"is_target":false,"name":"crash","state":{"reason":{"code":2,"type":"exit_code"},"state":"failed"}},
                 {"is_target":false,"name":"sig","state":{"reason":{"signal":9,"type":"signal"},"state":"failed"}},
                 {"is_target":false,"name":"app","state":{"state":"blocked","waiting_on":["db"]}},
                 {"is_target":false,"name":"db","state":{"state":"inactive"},"future_field":{"nested":[1,2]}},
                 {"is_target":false,"name":"new","state":{"state":"hibernating","pid":7}}]
                """);
        assertThat(list).containsExactly(
                status("web", ServiceState.RUNNING, "running", 22091, ServiceStatus.Target.UP, OptionalInt.empty(), ""),
                status("done", ServiceState.EXITED, "exited", 0, ServiceStatus.Target.DOWN, OptionalInt.of(0), ""),
                status("killed", ServiceState.EXITED, "exited", 0, ServiceStatus.Target.DOWN, OptionalInt.empty(), ""),
                status("crash", ServiceState.FAILED, "failed", 0, ServiceStatus.Target.UNKNOWN, OptionalInt.of(2),
                        "{\"code\":2,\"type\":\"exit_code\"}"),
                status("sig", ServiceState.FAILED, "failed", 0, ServiceStatus.Target.UNKNOWN, OptionalInt.empty(),
                        "{\"signal\":9,\"type\":\"signal\"}"),
                status("app", ServiceState.BLOCKED, "blocked", 0, ServiceStatus.Target.UP, OptionalInt.empty(), "waiting on [\"db\"]"),
                status("db", ServiceState.INACTIVE, "inactive", 0, ServiceStatus.Target.DOWN, OptionalInt.empty(), ""),
                status("new", ServiceState.UNKNOWN, "hibernating", 7, ServiceStatus.Target.UNKNOWN, OptionalInt.empty(), ""));
    }

    @Test
    void everyListInTheRecordedTranscriptsDecodesToItsNonTargetNames() throws IOException {
        List<JsonNode> results = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/zinit/v03"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    JsonNode exchange = JSON.readTree(line);
                    if (exchange.path("request").path("method").asText().equals("service.list_full")
                            && exchange.path("response").has("result")) {
                        results.add(exchange.path("response").get("result"));
                    }
                }
            }
        }
        assertThat(results).as("the transcripts hold list_full replies").hasSizeGreaterThan(3);
        for (JsonNode result : results) {
            List<String> expected = new ArrayList<>();
            result.forEach(e -> {
                if (!e.path("is_target").asBoolean()) {
                    expected.add(e.path("name").asText());
                }
            });
            assertThat(decode(result.toString())).extracting(ServiceStatus::name).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aResultThatIsNotAListIsAShapeErrorNotACrash() {
        assertThatThrownBy(() -> decode("{\"web\":\"running\"}")).isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("expected START_ARRAY");
        assertThatThrownBy(() -> decode("[{\"name\":\"web\",\"state\":\"running\"}]")).isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("service state");
    }
}
