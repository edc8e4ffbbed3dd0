# obops: multi-stage build (Maven, then a JRE), runs as a non-root user.
# Production configuration comes from the environment, e.g.:
#   docker run -p 8080:8080 \
#     -e SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/obops \
#     -e SPRING_DATASOURCE_USERNAME=obops -e SPRING_DATASOURCE_PASSWORD=... \
#     -v $PWD/config:/app/config:ro obops
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q -ntp dependency:go-offline
COPY src src
COPY db db
COPY config config
RUN ./mvnw -B -q -ntp -DskipTests package && cp target/obops-*.jar /src/obops.jar

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app obops
WORKDIR /app
COPY --from=build /src/obops.jar /app/obops.jar
COPY --chown=obops config /app/config
RUN mkdir -p /app/data && chown obops /app/data
USER obops
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/obops.jar"]
