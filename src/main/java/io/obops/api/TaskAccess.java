package io.obops.api;

import io.obops.access.AccessControl;
import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.NotPermittedException;
import io.obops.access.Permission;
import io.obops.audit.AuditEntry;
import io.obops.audit.AuditLog;
import io.obops.cluster.ClusterInventory;
import io.obops.task.TaskClient;
import io.obops.task.TaskTarget;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Permissions on the cluster and task APIs, checked before their controllers run: reading a cluster
 * or a task needs {@code cluster.view} on its cluster; retrying a task and retrying, skipping or
 * cancelling a subtask need {@code task.manage}, and each such request is audited with its
 * principal and outcome. A task without a cluster is covered only by bindings without a cluster
 * selector (fail closed).
 */
@Configuration(proxyBeanMethods = false)
public class TaskAccess implements WebMvcConfigurer {

  private static final Pattern TASK =
      Pattern.compile(
          "/api/v2/tasks/instances/(\\d+)(?:/(retry)|/subtasks/(\\d+)/(retry|skip|cancel|log))?/?");
  private static final Pattern CLUSTER = Pattern.compile("/api/v2/ob/clusters/(\\d+)/?");
  private static final String AUDIT = TaskAccess.class.getName() + ".audit";

  private final AccessControl access;
  private final TaskClient tasks;
  private final ClusterInventory inventory;
  private final AuditLog audit;

  public TaskAccess(
      AccessControl access, TaskClient tasks, ClusterInventory inventory, AuditLog audit) {
    this.access = access;
    this.tasks = tasks;
    this.inventory = inventory;
    this.audit = audit;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry
        .addInterceptor(new Guard())
        .addPathPatterns("/api/v2/tasks/instances/**", "/api/v2/ob/clusters/*");
  }

  private final class Guard implements HandlerInterceptor {

    @Override
    public boolean preHandle(
        HttpServletRequest request, HttpServletResponse response, Object handler) {
      String path = request.getRequestURI().substring(request.getContextPath().length());
      Matcher cluster = CLUSTER.matcher(path);
      if (cluster.matches() && "GET".equals(request.getMethod())) {
        long id = Long.parseLong(cluster.group(1));
        inventory
            .find(id)
            .ifPresent(
                c ->
                    access.require(
                        actor(request),
                        Permission.CLUSTER_VIEW,
                        new ClusterRef(c.id(), c.name(), c.tags())));
        return true;
      }
      Matcher task = TASK.matcher(path);
      if (!task.matches()) {
        return true;
      }
      long taskId = Long.parseLong(task.group(1));
      TaskTarget target = tasks.find(taskId).map(t -> t.target()).orElse(null);
      if (target == null && tasks.find(taskId).isEmpty()) {
        return true; // the controller answers 404
      }
      ClusterRef ref = ref(target);
      Actor actor = actor(request);
      String operation =
          task.group(2) != null
              ? "task.retry"
              : task.group(4) == null ? null : "subtask." + task.group(4);
      boolean manage =
          "POST".equals(request.getMethod())
              && operation != null
              && !operation.equals("subtask.log");
      if (!manage) {
        access.require(actor, Permission.CLUSTER_VIEW, ref);
        return true;
      }
      AuditEntry entry =
          AuditEntry.by(actor, operation, "REQUESTED")
              .cluster(target == null ? null : target.id())
              .task(taskId)
              .detail(task.group(3) == null ? null : "subtask " + task.group(3));
      try {
        access.require(actor, Permission.TASK_MANAGE, ref);
      } catch (NotPermittedException e) {
        audit.record(
            new AuditEntry(
                entry.principal(),
                entry.surface(),
                entry.action(),
                "REFUSED",
                entry.clusterId(),
                null,
                taskId,
                e.getMessage()));
        throw e;
      }
      request.setAttribute(AUDIT, entry);
      return true;
    }

    @Override
    public void afterCompletion(
        HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
      if (!(request.getAttribute(AUDIT) instanceof AuditEntry entry)) {
        return;
      }
      boolean ok = ex == null && response.getStatus() < 400;
      audit.record(
          new AuditEntry(
              entry.principal(),
              entry.surface(),
              entry.action(),
              ok ? "REQUESTED" : "REFUSED",
              entry.clusterId(),
              null,
              entry.taskId(),
              (entry.detail() == null ? "" : entry.detail() + "; ")
                  + "HTTP "
                  + response.getStatus()));
    }
  }

  private ClusterRef ref(TaskTarget target) {
    if (target == null) {
      return new ClusterRef(-1, "", List.of());
    }
    return inventory
        .find(target.id())
        .map(c -> new ClusterRef(c.id(), c.name(), c.tags()))
        .orElseGet(() -> new ClusterRef(target.id(), target.name(), List.of()));
  }

  private static Actor actor(HttpServletRequest request) {
    return ApiActors.of(request.getUserPrincipal());
  }
}
