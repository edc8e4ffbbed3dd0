package io.obops;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The composition root: Spring assembles the capabilities; none of them depends on it. */
@SpringBootApplication
public class ObopsApplication {

  public static void main(String[] args) {
    SpringApplication.run(ObopsApplication.class, args);
  }
}
