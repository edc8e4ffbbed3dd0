package io.obops.ocp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * OCP's success envelope, keys in OCP's (alphabetical) order. {@code data} is always present: null
 * for a success that returns nothing, as in OCP.
 */
@JsonPropertyOrder(alphabetic = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record OcpResponse<T>(
    T data,
    long duration,
    String server,
    int status,
    boolean successful,
    String timestamp,
    String traceId) {}
