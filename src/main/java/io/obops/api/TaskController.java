package io.obops.api;

import io.obops.core.SubtaskId;
import io.obops.core.TaskId;
import io.obops.ocp.OcpResponse;
import io.obops.ocp.TaskView;
import io.obops.operations.TaskOperations;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * OCP's task API: read a task, retry it, retry / skip / cancel a subtask, read a subtask's log.
 * Translates only; the operations layer checks {@code cluster.view} / {@code task.manage} on the
 * task's cluster and audits.
 */
@RestController
@RequestMapping("/api/v2/tasks/instances")
class TaskController {

  private final TaskOperations tasks;
  private final OcpResponses responses;

  public TaskController(TaskOperations tasks, OcpResponses responses) {
    this.tasks = tasks;
    this.responses = responses;
  }

  @GetMapping("/{id}")
  ResponseEntity<OcpResponse<TaskView>> get(
      @PathVariable TaskId id, HttpServletRequest request, Principal principal) {
    return responses.ok(
        request, TaskView.of(tasks.view(ApiActors.of(principal), id), responses.zone()));
  }

  @PostMapping("/{id}/retry")
  ResponseEntity<OcpResponse<TaskView>> retry(
      @PathVariable TaskId id, HttpServletRequest request, Principal principal) {
    return responses.ok(
        request, TaskView.of(tasks.retry(ApiActors.of(principal), id), responses.zone()));
  }

  @PostMapping("/{id}/subtasks/{subtaskId}/retry")
  ResponseEntity<OcpResponse<TaskView.SubtaskView>> retrySubtask(
      @PathVariable TaskId id,
      @PathVariable SubtaskId subtaskId,
      HttpServletRequest request,
      Principal principal) {
    return responses.ok(
        request,
        TaskView.SubtaskView.of(tasks.retrySubtask(ApiActors.of(principal), id, subtaskId)));
  }

  @PostMapping("/{id}/subtasks/{subtaskId}/skip")
  ResponseEntity<OcpResponse<Void>> skip(
      @PathVariable TaskId id,
      @PathVariable SubtaskId subtaskId,
      HttpServletRequest request,
      Principal principal) {
    tasks.skipSubtask(ApiActors.of(principal), id, subtaskId);
    return responses.ok(request, null);
  }

  @PostMapping("/{id}/subtasks/{subtaskId}/cancel")
  ResponseEntity<OcpResponse<Void>> cancel(
      @PathVariable TaskId id,
      @PathVariable SubtaskId subtaskId,
      HttpServletRequest request,
      Principal principal) {
    tasks.cancelSubtask(ApiActors.of(principal), id, subtaskId);
    return responses.ok(request, null);
  }

  @GetMapping("/{id}/subtasks/{subtaskId}/log")
  ResponseEntity<OcpResponse<Map<String, String>>> log(
      @PathVariable TaskId id,
      @PathVariable SubtaskId subtaskId,
      HttpServletRequest request,
      Principal principal) {
    return responses.ok(
        request,
        Map.of("log", String.join("\n", tasks.log(ApiActors.of(principal), id, subtaskId))));
  }
}
