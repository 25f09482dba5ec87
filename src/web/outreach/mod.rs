//! Reaching customers: the contact list, email campaigns and the unsubscribe page.

pub mod campaigns;
pub mod contacts;
pub mod unsubscribe;
