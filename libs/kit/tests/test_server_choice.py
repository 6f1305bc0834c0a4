"""Which PostgreSQL and RabbitMQ `make test` uses: URLs from the environment win, then
testcontainers where a Docker engine answers, then this machine's own servers."""

import socket
import threading

from kit.testing import (
    AMQP_ENV,
    DATABASE_ENV,
    MACHINE_AMQP_URL,
    MACHINE_DATABASE_URL,
    choose_servers,
    docker_engine_answers,
)

DB = "postgresql+asyncpg://ci@db.example:5432/"
MQ = "amqp://ci:ci@mq.example:5672/"


class Engine:
    def __init__(self, answers: bool) -> None:
        self.answers, self.asked = answers, 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.answers


def test_urls_in_the_environment_win_over_a_docker_engine() -> None:
    engine = Engine(answers=True)
    choice = choose_servers({DATABASE_ENV: DB, AMQP_ENV: MQ}, docker_answers=engine)
    assert (choice.source, choice.database_url, choice.amqp_url) == (
        "environment",
        DB.rstrip("/"),
        MQ,
    )
    assert engine.asked == 0  # CI has no engine to ask


def test_one_url_set_takes_the_machine_default_for_the_other() -> None:
    choice = choose_servers({AMQP_ENV: MQ}, docker_answers=Engine(answers=True))
    assert (choice.source, choice.database_url, choice.amqp_url) == (
        "environment",
        MACHINE_DATABASE_URL,
        MQ,
    )


def test_no_urls_and_an_engine_that_answers_starts_testcontainers() -> None:
    choice = choose_servers({}, docker_answers=Engine(answers=True))
    assert choice.source == "testcontainers"
    assert choice.database_url is None and choice.amqp_url is None


def test_no_urls_and_no_engine_uses_this_machines_servers() -> None:
    choice = choose_servers({}, docker_answers=Engine(answers=False))
    assert (choice.source, choice.database_url, choice.amqp_url) == (
        "machine",
        MACHINE_DATABASE_URL,
        MACHINE_AMQP_URL,
    )


def test_an_engine_socket_that_does_not_exist_does_not_answer(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/docker.sock")
    assert docker_engine_answers() is False


def test_a_listener_that_is_not_docker_does_not_answer(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def talk_nonsense() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=talk_nonsense, daemon=True)
    thread.start()
    monkeypatch.setenv("DOCKER_HOST", f"tcp://127.0.0.1:{port}")
    try:
        assert docker_engine_answers() is False
    finally:
        server.close()
        thread.join(timeout=5)
