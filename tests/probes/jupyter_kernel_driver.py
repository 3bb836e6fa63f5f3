#!/usr/bin/env python3
"""Start an installed Jupyter kernel the way Jupyter does and run cells in it, over stdin/stdout.

Usage: jupyter_kernel_driver.py KERNEL_NAME WORKING_DIRECTORY   (e.g. .net-csharp notebooks)

jupyter_client's KernelManager launches the kernel from its installed kernel spec (kernel.json argv),
exactly as Jupyter, nbconvert and nbclient do. Protocol, one JSON value per line:
  out  {"pid": ..., "argv": [...], "ip": "127.0.0.1", "ports": [shell, iopub, stdin, control, hb]}
       once the kernel is ready (pid: the process the kernel spec's argv started)
  in   "code of a cell"          (a JSON string)
  out  {"status": "ok" | "error" | ..., "outputs": [{"type": "display_data", "data": {mime: text}},
       {"type": "stream", "text": ...}, {"type": "error", "ename": ..., "evalue": ..., "traceback": [...]}]}
End of input shuts the kernel down. Anything else the driver or the kernel prints goes to stderr.
"""
import json
import os
import sys

from jupyter_client.manager import KernelManager

CELL_TIMEOUT_SECONDS = 900


def execute(client, code):
    message_id = client.execute(code)
    outputs = []
    while True:
        message = client.get_iopub_msg(timeout=CELL_TIMEOUT_SECONDS)
        if message["parent_header"].get("msg_id") != message_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind in ("display_data", "update_display_data", "execute_result"):
            outputs.append({"type": kind, "data": content["data"]})
        elif kind == "stream":
            outputs.append({"type": kind, "name": content["name"], "text": content["text"]})
        elif kind == "error":
            outputs.append({"type": kind, "ename": content["ename"], "evalue": content["evalue"],
                            "traceback": content["traceback"]})
    while True:
        reply = client.get_shell_msg(timeout=CELL_TIMEOUT_SECONDS)
        if reply["parent_header"].get("msg_id") == message_id:
            return {"status": reply["content"]["status"], "outputs": outputs}


def main(kernel_name, working_directory):
    # The protocol owns the real stdout; the kernel inherits file descriptor 1, so point that at stderr.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)

    def send(value):
        protocol.write(json.dumps(value) + "\n")
        protocol.flush()

    manager = KernelManager(kernel_name=kernel_name)
    manager.start_kernel(cwd=working_directory)
    client = manager.client()
    try:
        client.start_channels()
        client.wait_for_ready(timeout=300)
        info = manager.get_connection_info()
        send({"pid": manager.provisioner.process.pid, "argv": manager.kernel_spec.argv, "ip": info["ip"],
              "ports": [info[f"{name}_port"] for name in ("shell", "iopub", "stdin", "control", "hb")]})
        for line in sys.stdin:
            if line.strip():
                send(execute(client, json.loads(line)))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
