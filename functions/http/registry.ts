import type { RouteId } from '#shared/api/routes';
import type { AppDeps } from '#functions/app/deps';
import type { HttpHandler } from '#functions/lib/http';
import { makeCancelBooking } from './cancelBooking.ts';
import { makeCreateBooking } from './createBooking.ts';
import { makeGetAvailability } from './getAvailability.ts';
import { makeGetBooking } from './getBooking.ts';
import { makeGetOpenApi } from './getOpenApi.ts';
import { makeGetTenant } from './getTenant.ts';
import { makeRescheduleBooking } from './rescheduleBooking.ts';
import { makeGetRebookSuggestions } from './getRebookSuggestions.ts';
import { makeGetStaffTenant } from './getStaffTenant.ts';
import { makeUpdateSettings } from './updateSettings.ts';
import { makeListStaffBookings } from './listStaffBookings.ts';
import { makeCreateStaffBooking } from './createStaffBooking.ts';
import { makeGetStaffBooking } from './getStaffBooking.ts';
import { makeRescheduleStaffBooking } from './rescheduleStaffBooking.ts';
import { makeCancelStaffBooking } from './cancelStaffBooking.ts';
import { makeMarkAttendance } from './markAttendance.ts';
import { makeGetBookingHistory } from './getBookingHistory.ts';
import { makeCreateService } from './createService.ts';
import { makeUpdateService } from './updateService.ts';
import { makeDeactivateService } from './deactivateService.ts';
import { makeCreateProvider } from './createProvider.ts';
import { makeUpdateProvider } from './updateProvider.ts';
import { makeDeactivateProvider } from './deactivateProvider.ts';
import { makePutWeeklyHours } from './putWeeklyHours.ts';
import { makePutException } from './putException.ts';
import { makeDeleteException } from './deleteException.ts';
import { makeCreateBlock } from './createBlock.ts';
import { makeDeleteBlock } from './deleteBlock.ts';
import { makeRotateFeedToken } from './rotateFeedToken.ts';
import { makeListStaffUsers } from './listStaffUsers.ts';
import { makeInviteStaffUser } from './inviteStaffUser.ts';
import { makeRemoveStaffUser } from './removeStaffUser.ts';
import { makeGetProviderFeed } from './getProviderFeed.ts';
import { makeListOutbox } from './listOutbox.ts';
import { makeLookupCustomer } from './lookupCustomer.ts';
import { makeGetCustomer } from './getCustomer.ts';
import { makeSearchCustomers } from './searchCustomers.ts';
import { makeExportCustomer } from './exportCustomer.ts';
import { makeEraseCustomer } from './eraseCustomer.ts';
import { makeMergeCustomers } from './mergeCustomers.ts';
import { makeUndoMerge } from './undoMerge.ts';
import { makeRequestDataExport } from './requestDataExport.ts';
import { makeGetDataExport } from './getDataExport.ts';
import { makeGetInsights } from './getInsights.ts';

import { makeGetJourneys } from './getJourneys.ts';
import { makePutJourneys } from './putJourneys.ts';
import { makeListTasks } from './listTasks.ts';
import { makeCompleteTask } from './completeTask.ts';
import { makeGetPreferences } from './getPreferences.ts';
import { makeUpdatePreferences } from './updatePreferences.ts';
import { makeUnsubscribe } from './unsubscribe.ts';
import { makeJoinWaitlist } from './joinWaitlist.ts';
import { makeLeaveWaitlist } from './leaveWaitlist.ts';
import { makeClaimWaitlistOffer } from './claimWaitlistOffer.ts';
import { makeListWaitlist } from './listWaitlist.ts';
import { makeBookFromWaitlist } from './bookFromWaitlist.ts';
/**
 * Every route's handler factory. The type makes a route without a handler a compile error; the
 * Lambda entry for route X is `functions/http/X.ts` (see entries.ts), which the CDK stack and a
 * test both check.
 */
export const handlerFactories: { [K in RouteId]: (deps: AppDeps) => HttpHandler } = {
  getJourneys: makeGetJourneys,
  putJourneys: makePutJourneys,
  listTasks: makeListTasks,
  completeTask: makeCompleteTask,
  getPreferences: makeGetPreferences,
  updatePreferences: makeUpdatePreferences,
  unsubscribe: makeUnsubscribe,
  getTenant: makeGetTenant,
  getAvailability: makeGetAvailability,
  createBooking: makeCreateBooking,
  getBooking: makeGetBooking,
  rescheduleBooking: makeRescheduleBooking,
  getRebookSuggestions: makeGetRebookSuggestions,
  cancelBooking: makeCancelBooking,
  getOpenApi: makeGetOpenApi,
  getStaffTenant: makeGetStaffTenant,
  updateSettings: makeUpdateSettings,
  listStaffBookings: makeListStaffBookings,
  createStaffBooking: makeCreateStaffBooking,
  getStaffBooking: makeGetStaffBooking,
  rescheduleStaffBooking: makeRescheduleStaffBooking,
  cancelStaffBooking: makeCancelStaffBooking,
  markAttendance: makeMarkAttendance,
  getBookingHistory: makeGetBookingHistory,
  createService: makeCreateService,
  updateService: makeUpdateService,
  deactivateService: makeDeactivateService,
  createProvider: makeCreateProvider,
  updateProvider: makeUpdateProvider,
  deactivateProvider: makeDeactivateProvider,
  putWeeklyHours: makePutWeeklyHours,
  putException: makePutException,
  deleteException: makeDeleteException,
  createBlock: makeCreateBlock,
  deleteBlock: makeDeleteBlock,
  rotateFeedToken: makeRotateFeedToken,
  listStaffUsers: makeListStaffUsers,
  inviteStaffUser: makeInviteStaffUser,
  removeStaffUser: makeRemoveStaffUser,
  getProviderFeed: makeGetProviderFeed,
  listOutbox: makeListOutbox,
  lookupCustomer: makeLookupCustomer,
  getCustomer: makeGetCustomer,
  searchCustomers: makeSearchCustomers,
  exportCustomer: makeExportCustomer,
  eraseCustomer: makeEraseCustomer,
  mergeCustomers: makeMergeCustomers,
  undoMerge: makeUndoMerge,
  requestDataExport: makeRequestDataExport,
  getDataExport: makeGetDataExport,
  getInsights: makeGetInsights,
  joinWaitlist: makeJoinWaitlist,
  leaveWaitlist: makeLeaveWaitlist,
  claimWaitlistOffer: makeClaimWaitlistOffer,
  listWaitlist: makeListWaitlist,
  bookFromWaitlist: makeBookFromWaitlist,
};

