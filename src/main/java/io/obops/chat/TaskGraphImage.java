package io.obops.chat;

import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskInstance;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Draws a task graph as a PNG (Java2D, headless): stages left to right by depth in the graph, the
 * copies of a split stage (zones, servers) stacked, edges from upstreams, nodes coloured by status.
 */
public final class TaskGraphImage {

  private static final int W = 170;
  private static final int H = 44;
  private static final int GAP_X = 40;
  private static final int GAP_Y = 14;
  private static final int MARGIN = 20;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private TaskGraphImage() {}

  public static Color colour(SubtaskStatus s) {
    switch (s) {
      case SUCCESSFUL:
        return new Color(0x2e, 0xa0, 0x43);
      case FAILED:
        return new Color(0xd0, 0x3a, 0x3a);
      case RUNNING:
      case CANCELING:
        return new Color(0x2f, 0x6f, 0xd6);
      case READY:
        return new Color(0xe0, 0xa8, 0x20);
      default:
        return new Color(0x9a, 0x9a, 0x9a);
    }
  }

  public static byte[] png(TaskInstance task, Map<Long, String> serverNames) {
    // A stage is a depth in the graph (the longest path from a root): the copies of a split node
    // share one, and so does everything that may run side by side.
    Map<Long, Integer> depth = new HashMap<>();
    Map<Integer, List<SubtaskInstance>> stages = new TreeMap<>();
    for (SubtaskInstance s : task.subtasks()) { // by id: upstreams come first
      int d = s.upstreams().stream().mapToInt(u -> depth.getOrDefault(u, 0) + 1).max().orElse(0);
      depth.put(s.id(), d);
      stages.computeIfAbsent(d, k -> new ArrayList<>()).add(s);
    }
    int rows = stages.values().stream().mapToInt(List::size).max().orElse(1);
    int width = MARGIN * 2 + stages.size() * W + Math.max(0, stages.size() - 1) * GAP_X;
    int height = MARGIN * 2 + 24 + rows * H + Math.max(0, rows - 1) * GAP_Y;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(
          task.name() + " — task " + task.id() + " — " + task.status(), MARGIN, MARGIN + 8);
      Map<Long, int[]> box = new HashMap<>();
      int col = 0;
      int top = MARGIN + 24;
      for (List<SubtaskInstance> stage : stages.values()) {
        int x = MARGIN + col * (W + GAP_X);
        int stageHeight = stage.size() * H + (stage.size() - 1) * GAP_Y;
        int y0 = top + (rows * H + (rows - 1) * GAP_Y - stageHeight) / 2;
        for (int i = 0; i < stage.size(); i++) {
          box.put(stage.get(i).id(), new int[] {x, y0 + i * (H + GAP_Y)});
        }
        col++;
      }
      g.setStroke(new BasicStroke(1.2f));
      g.setColor(new Color(0xb0, 0xb0, 0xb0));
      for (SubtaskInstance s : task.subtasks()) {
        int[] to = box.get(s.id());
        for (long up : s.upstreams()) {
          int[] from = box.get(up);
          if (from != null && to != null) {
            g.drawLine(from[0] + W, from[1] + H / 2, to[0], to[1] + H / 2);
          }
        }
      }
      Font name = new Font(Font.SANS_SERIF, Font.BOLD, 11);
      Font detail = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
      for (SubtaskInstance s : task.subtasks()) {
        int[] p = box.get(s.id());
        g.setColor(colour(s.status()));
        g.fillRoundRect(p[0], p[1], W, H, 10, 10);
        g.setColor(Color.WHITE);
        g.setFont(name);
        g.drawString(clip(s.name(), 26), p[0] + 7, p[1] + 17);
        g.setFont(detail);
        String target = Rendering.target(task, s, serverNames);
        g.drawString(
            clip((target.isEmpty() ? "" : target + " · ") + s.status(), 32), p[0] + 7, p[1] + 34);
      }
    } finally {
      g.dispose();
    }
    var out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
