package io.obops.cluster;

/** The inventory file is missing or invalid; the message names the file, entry and field. */
public class InventoryException extends RuntimeException {

  public InventoryException(String message) {
    super(message);
  }
}
