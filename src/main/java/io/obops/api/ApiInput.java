package io.obops.api;

import io.obops.core.ClusterId;
import io.obops.core.RequestId;
import io.obops.core.SubtaskId;
import io.obops.core.TaskId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.JsonNode;

/**
 * How the API reads input, strictly. Path variables of the typed ids convert through the core's one
 * id codec (so Spring's own number conversion never sees them); a JSON body is an object whose
 * fields are all known and all strings (a JSON number is taken for an id field); anything else is a
 * 400 that says what was wrong.
 */
@Configuration(proxyBeanMethods = false)
class ApiInput implements WebMvcConfigurer {

  @Override
  public void addFormatters(FormatterRegistry registry) {
    registry.addConverter(String.class, ClusterId.class, s -> ClusterId.parse("id", s));
    registry.addConverter(String.class, TaskId.class, s -> TaskId.parse("id", s));
    registry.addConverter(String.class, SubtaskId.class, s -> SubtaskId.parse("subtaskId", s));
    registry.addConverter(String.class, RequestId.class, s -> RequestId.parse("id", s));
  }

  /**
   * The fields of a JSON body, by name; null for no body. Refuses a body that is not an object, has
   * a field not in {@code fields}, or a value that is not a string ({@code idFields} may also be
   * whole JSON numbers, passed on as their digits for the id codec to judge).
   */
  static Map<String, String> fields(JsonNode body, Set<String> fields, Set<String> idFields) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      return Map.of();
    }
    if (!body.isObject()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "the request body must be a JSON object with the fields " + String.join(", ", fields));
    }
    var result = new LinkedHashMap<String, String>();
    List<String> unknown = new ArrayList<>();
    for (var e : body.properties()) {
      String name = e.getKey();
      JsonNode v = e.getValue();
      if (!fields.contains(name)) {
        unknown.add(name);
      } else if (v.isNull()) {
        result.put(name, null);
      } else if (v.isString()) {
        result.put(name, v.asString());
      } else if (idFields.contains(name) && v.isIntegralNumber()) {
        result.put(name, v.bigIntegerValue().toString());
      } else {
        throw new ApiException(
            HttpStatus.BAD_REQUEST,
            "field '" + name + "' must be a " + (idFields.contains(name) ? "number" : "string"));
      }
    }
    if (!unknown.isEmpty()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "unknown field(s) "
              + String.join(", ", unknown.stream().map(n -> "'" + n + "'").toList())
              + "; the body takes "
              + String.join(", ", fields));
    }
    return result;
  }
}
