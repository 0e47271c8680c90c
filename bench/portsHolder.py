"""Holds sockets for the bench's ports case: each in a `sleep` process of its own.

argv: TCP_PAIRS UDP. One TCP listener on 127.0.0.1; TCP_PAIRS connections to
it, the client end and the accepted end each handed to a `sleep` child; UDP
bound sockets (on 127.0.0.1 and ::1 in turn), each handed to a child. This
process closes its copies, so every socket is held by exactly one other
process, then sleeps until its process group is killed.
"""
import socket
import subprocess
import sys
import time

tcp_pairs, udp = int(sys.argv[1]), int(sys.argv[2])


def hand(s):
    subprocess.Popen(['sleep', '100000'], pass_fds=[s.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    s.close()


listener = socket.socket()
listener.bind(('127.0.0.1', 0))
listener.listen(1024)
port = listener.getsockname()[1]
for _ in range(tcp_pairs):
    client = socket.create_connection(('127.0.0.1', port))
    accepted, _ = listener.accept()
    hand(client)
    hand(accepted)
for i in range(udp):
    u = socket.socket(socket.AF_INET6 if i % 2 else socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(('::1' if i % 2 else '127.0.0.1', 0))
    hand(u)
while True:
    time.sleep(3600)
