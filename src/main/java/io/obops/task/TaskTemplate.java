package io.obops.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A task graph built in code, like OCP's {@code TemplateBuilder}: a sequence of stages, each one
 * node that is either single or split by a context list key into one copy per element.
 *
 * <p>Every instance of a stage depends on every instance of the stage before it (N×M edges), which
 * is why templates put a Wait node between two split stages. {@link SplitMethod#SERIAL} chains the
 * copies of a stage instead of running them side by side.
 */
public record TaskTemplate(String name, List<Stage> stages) {

  public TaskTemplate {
    Objects.requireNonNull(name, "name");
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("template " + name + " has no nodes");
    }
  }

  /** OCP's Wait node: does nothing, joins parallel branches. */
  public static final Node WAIT = new Node("Wait node", "Wait node", WaitHandler.KEY, 30);

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** How the copies of a split node relate: side by side (OCP's default) or one after another. */
  public enum SplitMethod {
    PARALLEL,
    SERIAL
  }

  /**
   * A template node: the subtask's name and description as OCP shows them, the key of the {@link
   * SubtaskHandler} that runs it, and its timeout.
   */
  public record Node(String name, String description, String handler, int timeoutSeconds) {
    public Node {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(handler, "handler");
      if (timeoutSeconds <= 0) {
        throw new IllegalArgumentException("timeout of node " + name + " must be positive");
      }
    }
  }

  /** A node and how it is split; {@code splitKey} is null for a single instance. */
  public record Stage(Node node, String splitKey, SplitMethod splitMethod) {}

  /** Builds templates: {@code builder("…").andThen(a).andThen(b, "server_ids").build()}. */
  public static final class Builder {
    private final String name;
    private final List<Stage> stages = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder andThen(Node node) {
      stages.add(new Stage(node, null, SplitMethod.PARALLEL));
      return this;
    }

    public Builder andThen(Node node, String splitKey) {
      return andThen(node, splitKey, SplitMethod.PARALLEL);
    }

    public Builder andThen(Node node, String splitKey, SplitMethod method) {
      stages.add(new Stage(node, Objects.requireNonNull(splitKey, "splitKey"), method));
      return this;
    }

    public Builder andThenWait() {
      return andThen(WAIT);
    }

    public TaskTemplate build() {
      return new TaskTemplate(name, stages);
    }
  }
}
