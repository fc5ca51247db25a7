package dev.herd.zinit.v03;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.transport.ResultDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Reads {@code service.list_full}'s result, {@code [{"name","is_target","state":{"state","pid"…}}]},
 * token by token into {@link ServiceStatus}: Herd reads the whole list on every reconcile pass,
 * and building a JSON tree of it first took most of the reader thread's time (docs/BENCHMARKS.md).
 * Targets are left out. The tagged state's forms are in docs/zinit-protocol.md §7.
 */
final class ServiceListDecoder implements ResultDecoder<List<ServiceStatus>> {
    static final ServiceListDecoder INSTANCE = new ServiceListDecoder();

    private ServiceListDecoder() {
    }

    @Override
    public List<ServiceStatus> decode(JsonParser parser) throws IOException {
        expect(parser, JsonToken.START_ARRAY, "service.list_full result");
        List<ServiceStatus> out = new ArrayList<>();
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            String name = "";
            boolean target = false;
            TaggedState state = TaggedState.UNKNOWN;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "name" -> name = parser.getValueAsString("");
                    case "is_target" -> target = parser.getValueAsBoolean();
                    case "state" -> state = TaggedState.read(parser);
                    default -> parser.skipChildren();
                }
            }
            if (!target) {
                out.add(state.of(name));
            }
        }
        expect(parser, JsonToken.END_ARRAY, "service.list_full entry");
        return out;
    }

    private static void expect(JsonParser parser, JsonToken token, String what) throws JsonMappingException {
        if (parser.currentToken() != token) {
            throw JsonMappingException.from(parser, what + ": expected " + token + " but found " + parser.currentToken());
        }
    }

    /** {"state":"running","pid":12}, {"state":"exited","exit_code":0}, {"state":"failed","reason":{…}}, {"state":"blocked","waiting_on":[…]}. */
    private record TaggedState(String raw, int pid, OptionalInt exitCode, String error) {
        static final TaggedState UNKNOWN = new TaggedState("", 0, OptionalInt.empty(), "");

        static TaggedState read(JsonParser parser) throws IOException {
            expect(parser, JsonToken.START_OBJECT, "service state");
            String raw = "";
            int pid = 0;
            OptionalInt exit = OptionalInt.empty();
            String error = "";
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "state" -> raw = parser.getValueAsString("");
                    case "pid" -> pid = parser.getValueAsInt(0);
                    case "exit_code" -> exit = value == JsonToken.VALUE_NUMBER_INT ? OptionalInt.of(parser.getIntValue()) : exit;
                    case "reason" -> {
                        // rare (a failed service) and shown as text: a tree is fine here
                        JsonNode reason = parser.readValueAsTree();
                        error = reason.toString();
                        exit = exit.isPresent() || !reason.path("code").canConvertToInt() ? exit : OptionalInt.of(reason.get("code").asInt());
                    }
                    case "waiting_on" -> error = error.isEmpty() ? "waiting on " + parser.readValueAsTree() : error;
                    default -> parser.skipChildren();
                }
            }
            return new TaggedState(raw, pid, exit, error);
        }

        ServiceStatus of(String name) {
            // rawState is the state word, as status() gives it: pid, exit code, reason and waiting_on
            // are in the other fields.
            ServiceState state = ZinitV03Client.state(raw);
            return new ServiceStatus(name, state, raw, pid, ZinitV03Client.targetOf(state), Map.of(), exitCode, error);
        }
    }
}
