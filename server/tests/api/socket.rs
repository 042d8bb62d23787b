//! Over a real TCP socket: a client that hangs up in the middle of an upload leaves no temp
//! file, no stored file and no dialog; the server keeps serving.

use crate::common::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn serve(s: &TestServer) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = s.router.clone();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_hanging_up_mid_upload_leaves_nothing() {
    let s = TestServer::new().await;
    let me = s.login("a").await;
    let addr = serve(&s).await;
    let (cat, theme) = first_theme();
    let b = "----sock-boundary";
    let head = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\n{cat}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"theme\"\r\n\r\n{theme}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nфайл\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.png\"\r\n\r\n"
    );
    let declared = 8 * 1024 * 1024;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST /api/dialogs HTTP/1.1\r\nHost: {addr}\r\nCookie: {me}\r\n\
         X-Requested-With: seller-support\r\n\
         Content-Type: multipart/form-data; boundary={b}\r\nContent-Length: {declared}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
        .write_all(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A])
        .await
        .unwrap();
    // Send a megabyte of the file, wait until the server has started writing it, hang up.
    let chunk = vec![0u8; 64 * 1024];
    for _ in 0..16 {
        stream.write_all(&chunk).await.unwrap();
    }
    stream.flush().await.unwrap();
    let mut started = false;
    for _ in 0..100 {
        if s.files_in("tmp") > 0 {
            started = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(started, "the upload reached the temp dir");
    drop(stream);
    let mut clean = false;
    for _ in 0..250 {
        if s.files_in("tmp") == 0 {
            clean = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(clean, "temp file removed after the hang-up");
    assert_eq!(s.stored_files().await, 0);

    // The server still answers on the same socket address.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "GET /api/dialogs HTTP/1.1\r\nHost: {addr}\r\nCookie: {me}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).await.unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(
        out.ends_with("{\"items\":[],\"total\":0,\"unread_dialogs\":0}"),
        "{out}"
    );
}
