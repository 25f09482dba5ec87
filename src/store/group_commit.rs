//! Group commit for the survey pages: the writes of many respondents' requests are committed
//! together in one transaction, and each request is answered only after its write committed.
//!
//! SQLite has one writer at a time; with a transaction per request, concurrent requests wait in
//! its busy handler, sleeping milliseconds at a time. Here requests queue their writes instead,
//! and writer tasks (one for SQLite, a few for PostgreSQL) take whatever has queued, apply it in
//! one transaction and commit once. A write that fails with a database error rolls its batch
//! back; the batch is then replayed one write per transaction, so only the failing write fails.

use super::progress::{self, NewResponse, Response, SaveError};
use super::responses::Segments;
use sea_orm::DbErr;
use sea_orm::{DatabaseConnection, TransactionTrait};
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

/// The most writes one transaction commits.
const MAX_BATCH: usize = 256;
/// Writes waiting for a writer before requests wait to queue theirs.
const QUEUE: usize = 4096;

/// One respondent's write.
#[derive(Debug, Clone)]
pub enum Write {
    /// A new response; for an invitation that already has one (a double click, two tabs),
    /// the existing response is the result.
    Start(NewResponse),
    /// A page's answers (and the brand, when the page chose one).
    SavePage {
        response_id: i32,
        brand_id: Option<i32>,
        answers: Vec<(i32, Option<i32>)>,
    },
    /// The last page: attributes and comment, and the response is complete.
    Complete {
        response_id: i32,
        segments: Segments,
        comment: String,
    },
}

impl Write {
    /// The response written to; `None` for a new one.
    fn response_id(&self) -> Option<i32> {
        match self {
            Write::Start(_) => None,
            Write::SavePage { response_id, .. } | Write::Complete { response_id, .. } => {
                Some(*response_id)
            }
        }
    }
}

/// What a committed write gives back.
#[derive(Debug)]
pub enum Written {
    Started(Box<Response>),
    Saved,
}

type Reply = oneshot::Sender<Result<Written, SaveError>>;

/// The queue the writers take from; cloned into every request's app state.
#[derive(Clone)]
pub struct GroupCommit {
    queue: mpsc::Sender<(Write, Reply)>,
}

impl GroupCommit {
    /// Starts `writers` writer tasks on the current Tokio runtime.
    pub fn spawn(db: DatabaseConnection, writers: usize) -> GroupCommit {
        let (queue, receiver) = mpsc::channel(QUEUE);
        let receiver = Arc::new(Mutex::new(receiver));
        for _ in 0..writers.max(1) {
            tokio::spawn(run(db.clone(), receiver.clone()));
        }
        GroupCommit { queue }
    }

    /// Queues a write and waits until it is committed (or refused).
    pub async fn write(&self, write: Write) -> Result<Written, SaveError> {
        let (reply, committed) = oneshot::channel();
        let stopped = || SaveError::Db(DbErr::Custom("the answer writer has stopped".into()));
        self.queue
            .send((write, reply))
            .await
            .map_err(|_| stopped())?;
        committed.await.map_err(|_| stopped())?
    }

    pub async fn start(&self, new: NewResponse) -> Result<Response, SaveError> {
        match self.write(Write::Start(new)).await? {
            Written::Started(response) => Ok(*response),
            Written::Saved => unreachable!("a start gives back its response"),
        }
    }

    pub async fn save_page(
        &self,
        response_id: i32,
        brand_id: Option<i32>,
        answers: Vec<(i32, Option<i32>)>,
    ) -> Result<(), SaveError> {
        self.write(Write::SavePage {
            response_id,
            brand_id,
            answers,
        })
        .await
        .map(drop)
    }

    pub async fn complete(
        &self,
        response_id: i32,
        segments: Segments,
        comment: String,
    ) -> Result<(), SaveError> {
        self.write(Write::Complete {
            response_id,
            segments,
            comment,
        })
        .await
        .map(drop)
    }
}

/// A writer: takes everything queued (up to [`MAX_BATCH`]) and commits it at once.
async fn run(db: DatabaseConnection, receiver: Arc<Mutex<mpsc::Receiver<(Write, Reply)>>>) {
    loop {
        let mut batch = Vec::new();
        {
            let mut receiver = receiver.lock().await;
            let Some(first) = receiver.recv().await else {
                return;
            };
            batch.push(first);
            while batch.len() < MAX_BATCH {
                match receiver.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
        }
        commit(&db, batch).await;
    }
}

/// Commits a batch and answers every request in it.
async fn commit(db: &DatabaseConnection, batch: Vec<(Write, Reply)>) {
    let (writes, replies): (Vec<Write>, Vec<Reply>) = batch.into_iter().unzip();
    let results = match commit_together(db, &writes).await {
        Ok(results) => results,
        // One write failed, or the commit did: replay each alone so only the failing one fails.
        Err(_) if writes.len() > 1 => {
            let mut results = Vec::with_capacity(writes.len());
            for write in &writes {
                results.push(commit_alone(db, write).await);
            }
            results
        }
        Err(e) => vec![commit_alone_after(db, &writes[0], e).await],
    };
    for (reply, result) in replies.into_iter().zip(results) {
        // The request may have gone (the client left); its write is committed all the same.
        let _ = reply.send(result);
    }
}

/// All writes in one transaction; any database error rolls all of them back.
///
/// Writes are applied in the order of the response they touch (a stable sort, so one
/// response's writes keep their order): concurrent writers on PostgreSQL then lock rows in the
/// same order and never deadlock (which would cost the deadlock timeout, a second).
async fn commit_together(
    db: &DatabaseConnection,
    writes: &[Write],
) -> Result<Vec<Result<Written, SaveError>>, DbErr> {
    let mut order: Vec<usize> = (0..writes.len()).collect();
    order.sort_by_key(|&i| writes[i].response_id());
    let txn = db.begin().await?;
    let mut results: Vec<Option<Result<Written, SaveError>>> =
        (0..writes.len()).map(|_| None).collect();
    for i in order {
        match apply(&txn, &writes[i]).await {
            Err(SaveError::Db(e)) => return Err(e),
            // Refusals write nothing, so the rest of the batch stands.
            result => results[i] = Some(result),
        }
    }
    txn.commit().await?;
    Ok(results
        .into_iter()
        .map(|r| r.expect("every write applied"))
        .collect())
}

/// One write in its own transaction.
async fn commit_alone(db: &DatabaseConnection, write: &Write) -> Result<Written, SaveError> {
    match commit_together(db, std::slice::from_ref(write)).await {
        Ok(mut results) => results.pop().expect("one result per write"),
        Err(e) => commit_alone_after(db, write, e).await,
    }
}

/// The result of a write whose transaction failed with `error`: a second start for an
/// invitation finds the response the first one made; anything else is the error.
async fn commit_alone_after(
    db: &DatabaseConnection,
    write: &Write,
    error: DbErr,
) -> Result<Written, SaveError> {
    if let Write::Start(NewResponse {
        invitation_id: Some(invitation_id),
        ..
    }) = write
        && let Some(existing) = progress::by_invitation(db, *invitation_id).await?
    {
        return Ok(Written::Started(Box::new(existing)));
    }
    Err(SaveError::Db(error))
}

async fn apply(txn: &impl sea_orm::ConnectionTrait, write: &Write) -> Result<Written, SaveError> {
    match write {
        Write::Start(new) => Ok(Written::Started(Box::new(progress::start(txn, new).await?))),
        Write::SavePage {
            response_id,
            brand_id,
            answers,
        } => progress::save_page(txn, *response_id, *brand_id, answers)
            .await
            .map(|()| Written::Saved),
        Write::Complete {
            response_id,
            segments,
            comment,
        } => progress::complete(txn, *response_id, segments, comment)
            .await
            .map(|()| Written::Saved),
    }
}
