package dev.herd.zinit.transport;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Turns a reply's {@code result} into what the caller wants, on the reader thread, straight from
 * the parser: a large reply (a {@code service.list_full} of 1000 services is about 80 KB) then
 * never becomes a tree first. The parser stands on the first token of the value; the decoder must
 * consume exactly that value. A result of the wrong shape is a {@link JsonMappingException}
 * (the call fails with a ProtocolError carrying the raw reply); a syntax error is the line's.
 */
@FunctionalInterface
public interface ResultDecoder<T> {
    T decode(JsonParser parser) throws IOException;

    /** The result as a JSON tree, for replies small enough that a tree costs nothing. */
    ResultDecoder<JsonNode> TREE = parser -> parser.readValueAsTree();
}
