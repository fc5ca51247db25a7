/**
 * The GitHub threefoldtech Zinit 0.2.x dialect: JSON-RPC methods {@code service_*} and
 * {@code stream_*} with positional params, service configs as the JSON form of its YAML files.
 * It cannot run here; it is tested against {@code FakeZinitV02Server}, built from its OpenRPC spec.
 */
package dev.herd.zinit.v02;
