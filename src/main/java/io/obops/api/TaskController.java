package io.obops.api;

import io.obops.task.TaskClient;
import io.obops.task.TaskOperationException;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** OCP's task API: read a task, retry it, retry / skip / cancel a subtask, read a subtask's log. */
@RestController
@RequestMapping("/api/v2/tasks/instances")
public class TaskController {

  private final TaskClient tasks;
  private final OcpResponses responses;

  public TaskController(TaskClient tasks, OcpResponses responses) {
    this.tasks = tasks;
    this.responses = responses;
  }

  @GetMapping("/{id}")
  ResponseEntity<OcpResponse<TaskView>> get(@PathVariable long id, HttpServletRequest request) {
    return responses.ok(request, TaskView.of(task(id), responses.zone()));
  }

  @PostMapping("/{id}/retry")
  ResponseEntity<OcpResponse<TaskView>> retry(
      @PathVariable long id, HttpServletRequest request, Principal principal) {
    tasks.retryTask(id, actor(principal));
    return responses.ok(request, TaskView.of(task(id), responses.zone()));
  }

  @PostMapping("/{id}/subtasks/{subtaskId}/retry")
  ResponseEntity<OcpResponse<TaskView.SubtaskView>> retrySubtask(
      @PathVariable long id,
      @PathVariable long subtaskId,
      HttpServletRequest request,
      Principal principal) {
    return responses.ok(
        request, TaskView.SubtaskView.of(tasks.retrySubtask(id, subtaskId, actor(principal))));
  }

  @PostMapping("/{id}/subtasks/{subtaskId}/skip")
  ResponseEntity<OcpResponse<Void>> skip(
      @PathVariable long id,
      @PathVariable long subtaskId,
      HttpServletRequest request,
      Principal principal) {
    tasks.skipSubtask(id, subtaskId, actor(principal));
    return responses.ok(request, null);
  }

  @PostMapping("/{id}/subtasks/{subtaskId}/cancel")
  ResponseEntity<OcpResponse<Void>> cancel(
      @PathVariable long id,
      @PathVariable long subtaskId,
      HttpServletRequest request,
      Principal principal) {
    tasks.cancelSubtask(id, subtaskId, actor(principal));
    return responses.ok(request, null);
  }

  @GetMapping("/{id}/subtasks/{subtaskId}/log")
  ResponseEntity<OcpResponse<Map<String, String>>> log(
      @PathVariable long id, @PathVariable long subtaskId, HttpServletRequest request) {
    return responses.ok(request, Map.of("log", String.join("\n", tasks.log(id, subtaskId))));
  }

  private io.obops.task.TaskInstance task(long id) {
    return tasks
        .find(id)
        .orElseThrow(
            () ->
                new TaskOperationException(
                    TaskOperationException.Reason.NOT_FOUND,
                    "task " + id + " does not exist; check the id in the stop request's response"));
  }

  private static String actor(Principal principal) {
    return principal == null ? "api:anonymous" : principal.getName();
  }
}
