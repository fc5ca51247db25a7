package dev.herd.zinit.threefold;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.herd.zinit.ZinitException;
import dev.herd.zinit.transport.RpcError;
import dev.herd.zinit.transport.RpcErrorException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The same refusal, worded three ways (codes with data, bare -32603, legacy text), gives the same type. */
class TfFailuresTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-32000|Service not found|ServiceNotFound",
            "-32001|Service already monitored|AlreadyExists",
            "-32007|Service already exists|AlreadyExists",
            "-32002|Service is up|WrongState",
            "-32003|Service is down|WrongState",
            "-32006|Shutting down|ZinitUnavailable",
            "-32004|Invalid signal|Rejected",
            "-32005|Config error|Rejected",
            "-32008|Service file error|Rejected",
            "-32602|Invalid params|Rejected"})
    void newestCodesDecide(int code, String message, String type) throws Exception {
        var data = new ObjectMapper().readTree("{\"code_name\":\"X\",\"service\":\"w\",\"action\":\"a\",\"retryable\":false,\"hint\":\"h\"}");
        Throwable mapped = TfFailures.fromRpc(new RpcErrorException(new RpcError(code, message, data, "")), "op w", "w");
        assertThat(mapped.getClass().getSimpleName()).isEqualTo(type);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "service name \"w\" unknown|ServiceNotFound",
            "Service 'w' not found|ServiceNotFound",
            "service \"w\" already monitored|AlreadyExists",
            "Service 'w' already exists|AlreadyExists",
            "service \"w\" is up|WrongState",
            "service \"w\" is down|WrongState",
            "zinit is shutting down|ZinitUnavailable",
            "invalid signal: SIGNOPE|Rejected",
            "unknown command 'x' or wrong arguments|Rejected"})
    void bareInternalErrorsAndLegacyRepliesAreReadByTheirText(String reason, String type) {
        Throwable bare = TfFailures.fromRpc(new RpcErrorException(new RpcError(-32603, reason, MissingNode.getInstance(), "")), "op w", "w");
        assertThat(bare.getClass().getSimpleName()).isEqualTo(type);
        assertThat(TfFailures.fromReason("op w", "w", TfFailures.NO_CODE, reason).getClass().getSimpleName()).isEqualTo(type);
    }

    @org.junit.jupiter.api.Test
    void wrongStateSaysWhichWay() {
        var up = (ZinitException.WrongState) TfFailures.fromReason("forget w", "w", 0, "service \"w\" is up");
        var down = (ZinitException.WrongState) TfFailures.fromReason("kill w", "w", 0, "service \"w\" is down");
        assertThat(up.up()).isTrue();
        assertThat(down.up()).isFalse();
        assertThat(down.getMessage()).contains("kill w").contains("is down");
    }
}
