package io.obops.chat;

import io.obops.approval.ApprovalRequest;
import java.time.ZoneId;

/** The core's rendering for tests of other packages (Discord's limits against the emulator). */
public final class RenderingForTests {

  private RenderingForTests() {}

  /** The approval card of {@code r} as the core renders it. */
  public static ChatMessage card(ApprovalRequest r, ZoneId zone) {
    return new Rendering(zone)
        .card(
            new Rendering.CardView(
                r,
                null,
                java.util.Map.of(),
                "<@1>",
                java.util.List.of("<@3>"),
                "<@&2>",
                java.util.List.of(),
                r.createTime()));
  }

  /** Whether the card posts the full plan as a file, its name and its content. */
  public static boolean planNeedsFile(ApprovalRequest r) {
    return PlanRendering.needsFile(r.id(), r.plan());
  }

  public static String planFileName(ApprovalRequest r) {
    return PlanRendering.fileName(r.id(), r.plan());
  }

  public static byte[] planFile(ApprovalRequest r, ZoneId zone) {
    return PlanRendering.file(r.id(), r.plan(), new Rendering(zone)::time);
  }
}
