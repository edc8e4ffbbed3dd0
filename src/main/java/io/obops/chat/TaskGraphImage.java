package io.obops.chat;

import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskInstance;
import io.obops.task.TaskTemplate;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws a task graph as a PNG a person can read in a chat preview, at 3 servers or at 200: one row
 * per stage (nodes of one name, top to bottom in the order they run, Wait nodes left out), and in a
 * row one box per zone — a split per server shows each server when there are few, else a count per
 * zone ("66/67 done · 1 failed"). Boxes are as wide as their text, so no label is ever cut.
 */
public final class TaskGraphImage {

  /** Servers of a stage drawn one box each up to this many; above, one box per zone. */
  static final int SERVER_BOXES_UP_TO = 4;

  private static final int PAD = 10;
  private static final int BOX_H = 46;
  private static final int GAP_X = 16;
  private static final int GAP_Y = 26;
  private static final int MARGIN = 20;
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  private static final Font NAME = new Font(Font.SANS_SERIF, Font.BOLD, 12);
  private static final Font DETAIL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

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

  /** One box: a stage, or its part for one zone or server; {@code status} the box's colour. */
  record Box(String name, String detail, SubtaskStatus status) {}

  public static byte[] png(TaskInstance task, Map<Long, String> serverNames) {
    return png(task, serverNames, Map.of());
  }

  public static byte[] png(
      TaskInstance task, Map<Long, String> serverNames, Map<Long, String> serverZones) {
    List<List<Box>> rows = rows(task, serverNames, serverZones);
    String title =
        task.name()
            + (task.target() == null ? "" : " " + task.target().name())
            + " — task "
            + task.id()
            + " — "
            + task.status();
    OffsetDateTime at = task.finishTime() != null ? task.finishTime() : OffsetDateTime.now();
    String headline = TaskProgress.of(task, serverNames, serverZones, at).headline();
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D pg = probe.createGraphics();
    FontMetrics nameFm = pg.getFontMetrics(NAME);
    FontMetrics detailFm = pg.getFontMetrics(DETAIL);
    FontMetrics titleFm = pg.getFontMetrics(TITLE);
    List<int[]> widths = new ArrayList<>();
    int width = Math.max(titleFm.stringWidth(title), titleFm.stringWidth(headline));
    for (List<Box> row : rows) {
      int[] w = new int[row.size()];
      int total = 0;
      for (int i = 0; i < row.size(); i++) {
        Box b = row.get(i);
        w[i] = Math.max(nameFm.stringWidth(b.name()), detailFm.stringWidth(b.detail())) + 2 * PAD;
        total += w[i] + (i == 0 ? 0 : GAP_X);
      }
      widths.add(w);
      width = Math.max(width, total);
    }
    pg.dispose();
    int imgW = width + 2 * MARGIN;
    int top = MARGIN + 46;
    int imgH = top + rows.size() * BOX_H + Math.max(0, rows.size() - 1) * GAP_Y + MARGIN;
    BufferedImage img = new BufferedImage(imgW, imgH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, imgW, imgH);
      g.setColor(Color.DARK_GRAY);
      g.setFont(TITLE);
      g.drawString(title, MARGIN, MARGIN + 12);
      g.setFont(DETAIL);
      g.drawString(headline, MARGIN, MARGIN + 32);
      List<int[]> xs = new ArrayList<>();
      for (int r = 0; r < rows.size(); r++) {
        int[] w = widths.get(r);
        int total = 0;
        for (int i = 0; i < w.length; i++) {
          total += w[i] + (i == 0 ? 0 : GAP_X);
        }
        int[] x = new int[w.length];
        int cursor = MARGIN + (width - total) / 2;
        for (int i = 0; i < w.length; i++) {
          x[i] = cursor;
          cursor += w[i] + GAP_X;
        }
        xs.add(x);
      }
      g.setStroke(new BasicStroke(1.2f));
      g.setColor(new Color(0xb0, 0xb0, 0xb0));
      for (int r = 1; r < rows.size(); r++) {
        int[] up = xs.get(r - 1);
        int[] upW = widths.get(r - 1);
        int[] here = xs.get(r);
        int[] hereW = widths.get(r);
        int yUp = top + (r - 1) * (BOX_H + GAP_Y) + BOX_H;
        int yHere = top + r * (BOX_H + GAP_Y);
        boolean paired = up.length == here.length;
        for (int i = 0; i < up.length; i++) {
          for (int j = 0; j < here.length; j++) {
            if (!paired || i == j) {
              g.drawLine(up[i] + upW[i] / 2, yUp, here[j] + hereW[j] / 2, yHere);
            }
          }
        }
      }
      for (int r = 0; r < rows.size(); r++) {
        int y = top + r * (BOX_H + GAP_Y);
        for (int i = 0; i < rows.get(r).size(); i++) {
          Box b = rows.get(r).get(i);
          int x = xs.get(r)[i];
          int w = widths.get(r)[i];
          g.setColor(colour(b.status()));
          g.fillRoundRect(x, y, w, BOX_H, 10, 10);
          g.setColor(Color.WHITE);
          g.setFont(NAME);
          g.drawString(b.name(), x + PAD, y + 19);
          g.setFont(DETAIL);
          g.drawString(b.detail(), x + PAD, y + 37);
        }
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

  /** The stages in order, Wait nodes left out, each as its boxes. */
  static List<List<Box>> rows(
      TaskInstance task, Map<Long, String> serverNames, Map<Long, String> serverZones) {
    Map<String, List<SubtaskInstance>> stages = new LinkedHashMap<>();
    for (SubtaskInstance s : task.subtasks()) {
      if (!TaskTemplate.WAIT.handler().equals(s.handler())) {
        stages.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
      }
    }
    List<List<Box>> rows = new ArrayList<>();
    for (Map.Entry<String, List<SubtaskInstance>> e : stages.entrySet()) {
      List<SubtaskInstance> nodes = e.getValue();
      List<Box> row = new ArrayList<>();
      boolean perServer =
          nodes.get(0).target() != null
              && TaskProgress.SERVER_KEY.equals(nodes.get(0).target().key());
      if (nodes.size() == 1 || (nodes.size() <= SERVER_BOXES_UP_TO && !perServer)) {
        for (SubtaskInstance s : nodes) {
          String target = Rendering.target(task, s, serverNames);
          row.add(
              new Box(
                  e.getKey(), (target.isEmpty() ? "" : target + " · ") + s.status(), s.status()));
        }
      } else if (perServer && nodes.size() <= SERVER_BOXES_UP_TO) {
        for (SubtaskInstance s : nodes) {
          row.add(
              new Box(
                  e.getKey(),
                  Rendering.target(task, s, serverNames) + " · " + s.status(),
                  s.status()));
        }
      } else {
        Map<String, List<SubtaskInstance>> groups = new LinkedHashMap<>();
        for (SubtaskInstance s : nodes) {
          String zone =
              perServer
                  ? serverZones.getOrDefault(serverId(s), "")
                  : Rendering.target(task, s, serverNames);
          groups.computeIfAbsent(perServer ? zone : "", k -> new ArrayList<>()).add(s);
        }
        if (groups.size() > 8) { // too many zones for one row: one box for the stage
          groups = Map.of("", nodes);
        }
        groups.forEach(
            (zone, list) ->
                row.add(
                    new Box(
                        e.getKey() + (zone.isEmpty() ? "" : " — " + zone),
                        counts(list),
                        aggregate(list))));
      }
      rows.add(row);
    }
    return rows;
  }

  private static Long serverId(SubtaskInstance s) {
    try {
      return Long.parseLong(s.target().value());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** "66/67 done · 1 failed · 2 running". */
  static String counts(List<SubtaskInstance> list) {
    long ok = list.stream().filter(s -> s.status() == SubtaskStatus.SUCCESSFUL).count();
    long failed = list.stream().filter(s -> s.status() == SubtaskStatus.FAILED).count();
    long running = list.stream().filter(s -> s.status().executing()).count();
    return ok
        + "/"
        + list.size()
        + " done"
        + (failed > 0 ? " · " + failed + " failed" : "")
        + (running > 0 ? " · " + running + " running" : "");
  }

  private static SubtaskStatus aggregate(List<SubtaskInstance> list) {
    if (list.stream().anyMatch(s -> s.status() == SubtaskStatus.FAILED)) {
      return SubtaskStatus.FAILED;
    }
    if (list.stream().allMatch(s -> s.status() == SubtaskStatus.SUCCESSFUL)) {
      return SubtaskStatus.SUCCESSFUL;
    }
    if (list.stream().anyMatch(s -> s.status().executing())) {
      return SubtaskStatus.RUNNING;
    }
    return list.stream().anyMatch(s -> s.status() == SubtaskStatus.READY)
        ? SubtaskStatus.READY
        : SubtaskStatus.PENDING;
  }
}
