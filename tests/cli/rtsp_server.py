#!/usr/bin/python3
"""A minimal RTSP server for the cli test: serves one H.264 clip to one client, once, over RTP
on UDP (client_port) or interleaved in the RTSP connection (TCP), as an IP camera does. ffmpeg
packetises the clip (-f rtp, in real time); this script speaks RTSP (RFC 2326: OPTIONS,
DESCRIBE, SETUP, PLAY, TEARDOWN) and, for TCP, relays ffmpeg's RTP packets into the connection.

Usage: rtsp_server.py CLIP PORT READY-FILE
It writes READY-FILE once it listens, serves one session, and exits when the clip has been sent
(closing the connection) or the client leaves.
"""
import os
import socket
import subprocess
import sys
import tempfile


def sdp_of(clip):
    """The SDP ffmpeg writes for the clip's video as RTP (payload type 96)."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "clip.sdp")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-i", clip, "-an", "-c:v", "copy",
                        "-frames:v", "1", "-f", "rtp", "-sdp_file", path,
                        "rtp://127.0.0.1:9"], check=True)
        with open(path) as f:
            lines = [l.rstrip("\r\n") for l in f if l.strip() and not l.startswith("SDP:")]
    return "\r\n".join(lines + ["a=control:trackID=0"]) + "\r\n"


def read_request(conn, buf):
    """(method, headers, rest of buf), or None when the client closed."""
    while b"\r\n\r\n" not in buf:
        data = conn.recv(4096)
        if not data:
            return None
        buf += data
    head, buf = buf.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    method = lines[0].split(" ")[0]
    headers = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        headers[k.strip().lower()] = v.strip()
    return method, headers, buf


def reply(conn, cseq, extra="", body=""):
    msg = "RTSP/1.0 200 OK\r\nCSeq: %s\r\n%s" % (cseq, extra)
    if body:
        msg += "Content-Length: %d\r\n" % len(body)
    conn.sendall((msg + "\r\n" + body).encode())


def main():
    clip, port, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sdp = sdp_of(clip)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    open(ready, "w").close()
    srv.settimeout(30)
    conn, _ = srv.accept()
    buf, transport, ff, relay = b"", None, None, None
    while True:
        req = read_request(conn, buf)
        if req is None:
            break
        method, h, buf = req
        cseq = h.get("cseq", "0")
        if method == "OPTIONS":
            reply(conn, cseq, "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n")
        elif method == "DESCRIBE":
            reply(conn, cseq, "Content-Type: application/sdp\r\nContent-Base: rtsp://127.0.0.1:%d/cam/\r\n"
                  % port, sdp)
        elif method == "SETUP":
            transport = h.get("transport", "")
            if "TCP" in transport:
                relay = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                relay.bind(("127.0.0.1", 0))
                answer = "RTP/AVP/TCP;unicast;interleaved=0-1"
            else:
                lo = [p for p in transport.split(";") if p.startswith("client_port=")][0]
                client = lo.split("=")[1].split("-")
                answer = "RTP/AVP;unicast;client_port=%s-%s;server_port=%d-%d" % (
                    client[0], client[1], port + 2, port + 3)
                transport = client
            reply(conn, cseq, "Transport: %s\r\nSession: 4711\r\n" % answer)
        elif method == "PLAY":
            reply(conn, cseq, "Session: 4711\r\nRange: npt=0.000-\r\n")
            if relay is not None:
                dest = "rtp://127.0.0.1:%d" % relay.getsockname()[1]
            else:
                dest = "rtp://127.0.0.1:%s?rtcpport=%s&localrtpport=%d" % (
                    transport[0], transport[1], port + 2)
            ff = subprocess.Popen(["ffmpeg", "-loglevel", "error", "-re", "-i", clip, "-an",
                                   "-c:v", "copy", "-f", "rtp", dest], stdout=subprocess.DEVNULL)
            if relay is None:
                ff.wait()
                break
            relay.settimeout(2)
            while True:  # RTP packets into the RTSP connection, channel 0 ($, channel, length)
                try:
                    pkt = relay.recv(65536)
                except socket.timeout:
                    if ff.poll() is not None:
                        break
                    continue
                conn.sendall(b"$\x00" + len(pkt).to_bytes(2, "big") + pkt)
            break
        elif method == "TEARDOWN":
            reply(conn, cseq, "Session: 4711\r\n")
            break
        else:
            conn.sendall(("RTSP/1.0 501 Not Implemented\r\nCSeq: %s\r\n\r\n" % cseq).encode())
    if ff is not None and ff.poll() is None:
        ff.kill()
        ff.wait()
    conn.close()
    srv.close()


if __name__ == "__main__":
    main()
